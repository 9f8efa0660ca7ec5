import { labelProblems } from "./metric-labels.js";
import { metricNameProblems } from "./metric-name.js";
import type { MetricKind, MetricLabels } from "./metrics-port.js";

/** What a {@link SchemaGuard} remembers about one metric name after its first use. */
export interface MetricSchema {
  readonly name: string;
  readonly kind: MetricKind;
  /** The per-call label names fixed by the first use, sorted (constant labels excluded). */
  readonly labelNames: readonly string[];
}

/** Options of {@link SchemaGuard}. */
export interface SchemaGuardOptions {
  /**
   * The names of the constant labels the implementation adds itself (service, instance,
   * version). A call that passes one of them is reported and dropped: a per-call label may
   * not override a constant one.
   */
  readonly constantLabelNames?: Iterable<string>;
  /**
   * How many distinct error messages are kept (default 256). Past it, one last message says
   * that further errors were dropped, so a buggy caller cannot grow memory without bound.
   */
  readonly maxErrors?: number;
}

interface SchemaEntry {
  readonly schema: MetricSchema;
  readonly labelSet: ReadonlySet<string>;
}

const DEFAULT_MAX_ERRORS = 256;

/**
 * The shared rule book of every `MetricsPort` implementation: it decides whether one
 * recording call is admitted, and reports why not.
 *
 * - The first admitted use of a metric name fixes its kind and its sorted label names; a
 *   {@link SchemaGuard.declare declaration} (from `describe`) fixes the kind only.
 * - A later call with other label names, or with the name as another kind, is rejected.
 * - A non-finite value, a negative counter increment, an invalid or unconventional metric name
 *   (see `metricNameProblems`), an invalid label set (see `labelProblems`), a per-call label
 *   named like a constant label, and the reserved label `le` on a histogram are rejected.
 *
 * Rejections are recorded as messages, each distinct message once, oldest first, and never
 * thrown. Messages name metrics and labels but never quote label values or recorded values, so
 * their number stays bounded.
 */
export class SchemaGuard {
  private readonly schemasByName = new Map<string, SchemaEntry>();
  private readonly declaredKinds = new Map<string, MetricKind>();
  private readonly constantLabelNames: ReadonlySet<string>;
  private readonly maxErrors: number;
  private readonly messages = new Set<string>();
  private overflowed = false;

  constructor(options: SchemaGuardOptions = {}) {
    this.constantLabelNames = new Set(options.constantLabelNames ?? []);
    this.maxErrors = Math.max(1, Math.floor(options.maxErrors ?? DEFAULT_MAX_ERRORS));
  }

  /**
   * Checks one recording call of a metric of kind `kind`. Returns the metric's schema when the
   * call is admitted (the schema is created on the first admitted use), or `undefined` after
   * reporting why it is not. Never throws.
   */
  admit(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
    value: number,
  ): MetricSchema | undefined {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.report(`${kind} "${name}": value must be a finite number; the call was dropped`);
      return undefined;
    }
    if (kind === "counter" && value < 0) {
      this.report(
        `counter "${name}": an increment must not be negative (counters only go up); the call was dropped`,
      );
      return undefined;
    }
    const existing = this.schemasByName.get(name);
    if (existing !== undefined) return this.matchExisting(existing, kind, labels);
    return this.createSchema(kind, name, labels);
  }

  /**
   * Fixes the kind of `name` before its first use (what `describe` does). Returns `false`
   * after reporting when the name is invalid for that kind or already has another kind.
   * Never throws.
   */
  declare(name: string, kind: MetricKind): boolean {
    const known = this.schemasByName.get(name)?.schema.kind ?? this.declaredKinds.get(name);
    if (known !== undefined && known !== kind) {
      this.report(kindConflict(name, known, kind));
      return false;
    }
    const problems = metricNameProblems(name, kind);
    if (problems.length > 0) {
      for (const problem of problems) this.report(problem);
      return false;
    }
    this.declaredKinds.set(name, kind);
    return true;
  }

  /** The schema of `name`, or `undefined` before its first admitted use. */
  schema(name: string): MetricSchema | undefined {
    return this.schemasByName.get(name)?.schema;
  }

  /** Every schema fixed so far, in order of first use. */
  schemas(): MetricSchema[] {
    return [...this.schemasByName.values()].map((entry) => entry.schema);
  }

  /**
   * Records an error message (kept once however often it is reported). Implementations use
   * it for their own mistakes, e.g. a metrics library refusing a call.
   */
  report(message: string): void {
    if (this.messages.has(message) || this.overflowed) return;
    if (this.messages.size >= this.maxErrors) {
      this.overflowed = true;
      this.messages.add(
        `more than ${this.maxErrors} distinct metrics errors; further ones are not kept`,
      );
      return;
    }
    this.messages.add(message);
  }

  /** The distinct error messages reported so far, oldest first (a copy). */
  errors(): readonly string[] {
    return [...this.messages];
  }

  private matchExisting(
    entry: SchemaEntry,
    kind: MetricKind,
    labels: MetricLabels | undefined,
  ): MetricSchema | undefined {
    const { schema } = entry;
    if (schema.kind !== kind) {
      this.report(kindConflict(schema.name, schema.kind, kind));
      return undefined;
    }
    let count = 0;
    let sameNames = true;
    let stringValues = true;
    if (labels !== undefined) {
      for (const labelName in labels) {
        if (!Object.hasOwn(labels, labelName)) continue;
        count++;
        if (!entry.labelSet.has(labelName)) sameNames = false;
        if (typeof labels[labelName] !== "string") stringValues = false;
      }
    }
    if (!sameNames || count !== entry.labelSet.size) {
      this.report(
        `${kind} "${schema.name}" has label names ${formatNames(schema.labelNames)}; ` +
          `a call with ${formatNames(Object.keys(labels ?? {}).sort())} was dropped`,
      );
      return undefined;
    }
    if (!stringValues) {
      for (const problem of labelProblems(labels))
        this.report(`${kind} "${schema.name}": ${problem}`);
      return undefined;
    }
    return schema;
  }

  private createSchema(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
  ): MetricSchema | undefined {
    const declared = this.declaredKinds.get(name);
    if (declared !== undefined && declared !== kind) {
      this.report(kindConflict(name, declared, kind));
      return undefined;
    }
    const problems = declared === undefined ? metricNameProblems(name, kind) : [];
    for (const problem of labelProblems(labels)) problems.push(`${kind} "${name}": ${problem}`);
    const labelNames = Object.keys(labels ?? {}).sort();
    for (const labelName of labelNames) {
      if (this.constantLabelNames.has(labelName)) {
        problems.push(
          `${kind} "${name}": label "${labelName}" is a constant label and may not be set per call`,
        );
      }
    }
    if (kind === "histogram" && labelNames.includes("le")) {
      problems.push(`histogram "${name}": label "le" is reserved for bucket bounds`);
    }
    if (problems.length > 0) {
      for (const problem of problems) this.report(`${problem}; the call was dropped`);
      return undefined;
    }
    const schema: MetricSchema = Object.freeze({
      name,
      kind,
      labelNames: Object.freeze(labelNames),
    });
    this.schemasByName.set(name, { schema, labelSet: new Set(labelNames) });
    return schema;
  }
}

function kindConflict(name: string, known: MetricKind, used: MetricKind): string {
  return `metric "${name}" is a ${known}; using it as a ${used} was refused`;
}

function formatNames(names: readonly string[]): string {
  return `[${names.join(", ")}]`;
}
