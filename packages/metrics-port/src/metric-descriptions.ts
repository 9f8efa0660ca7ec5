import { bucketProblems } from "./histogram-buckets.js";
import type { MetricDescription, MetricKind } from "./metrics-port.js";
import type { SchemaGuard } from "./schema-guard.js";

/**
 * The help texts and buckets given through `MetricsPort.describe`, by metric name: the rule
 * every implementation applies to `describe`, in one place.
 */
export class MetricDescriptions {
  readonly #byName = new Map<string, MetricDescription>();

  /**
   * Declares `name` with `guard` (which reports a bad name or a kind conflict) and keeps
   * `description` unless the guard refused it, the metric already exists (`metricExists`) or was
   * described before: the first description stands. Invalid buckets are reported through
   * `guard` and dropped (only the help text is kept; the default buckets apply). Never throws.
   */
  describe(
    guard: SchemaGuard,
    name: string,
    kind: MetricKind,
    description: MetricDescription,
    metricExists: boolean,
  ): void {
    const known = metricExists || this.#byName.has(name);
    if (!guard.declare(name, kind) || known) return;
    let accepted = description;
    if (description.buckets !== undefined) {
      const problems = bucketProblems(description.buckets);
      for (const problem of problems) guard.report(`histogram "${name}": ${problem}`);
      if (problems.length > 0) accepted = { help: description.help };
    }
    this.#byName.set(name, accepted);
  }

  /** The description kept for `name`, if any. */
  get(name: string): MetricDescription | undefined {
    return this.#byName.get(name);
  }

  /** Forgets every description. */
  clear(): void {
    this.#byName.clear();
  }
}
