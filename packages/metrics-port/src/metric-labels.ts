import type { MetricLabels } from "./metrics-port.js";

/** The characters Prometheus allows in a label name. */
export const LABEL_NAME_PATTERN: RegExp = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Whether `name` is a valid Prometheus label name: it matches {@link LABEL_NAME_PATTERN} and
 * does not start with `__` (reserved for Prometheus itself).
 */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_PATTERN.test(name) && !name.startsWith("__");
}

/**
 * Every problem with `labels` as a label set, as messages (empty when valid): it must be an
 * object whose keys are valid label names ({@link isValidLabelName}) and whose values are
 * strings. Messages name the offending label but never quote a label value. Never throws.
 */
export function labelProblems(labels: unknown): string[] {
  if (labels === undefined) return [];
  if (labels === null || typeof labels !== "object" || Array.isArray(labels)) {
    return ["labels must be an object of label name to string value"];
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (!isValidLabelName(name)) {
      problems.push(
        `label name "${name}" must match ${LABEL_NAME_PATTERN.source} and not start with "__"`,
      );
    }
    if (typeof value !== "string") {
      problems.push(`label "${name}" must have a string value, not ${describeType(value)}`);
    }
  }
  return problems;
}

/**
 * Builds a validated label set: a frozen copy of `labels` with its names in sorted order.
 * Throws a `TypeError` naming the first problem of {@link labelProblems}. Meant for
 * configuration time (constant labels, a fixed label set reused on a hot path); recording
 * never throws, it reports.
 */
export function metricLabels(labels: Readonly<Record<string, string>>): MetricLabels {
  const [problem] = labelProblems(labels);
  if (problem !== undefined) throw new TypeError(problem);
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) sorted[name] = labels[name] as string;
  return Object.freeze(sorted);
}

/** The label names of `labels` (none when `undefined`), sorted. */
export function labelNamesOf(labels: MetricLabels | undefined): string[] {
  return labels === undefined ? [] : Object.keys(labels).sort();
}

/** The result of {@link mergeLabels}. */
export interface MergedLabels {
  /** The constant labels plus the per-call labels; a constant label always keeps its value. */
  readonly labels: MetricLabels;
  /**
   * The per-call label names that tried to override a constant label, sorted; empty when
   * there was no conflict.
   */
  readonly conflicts: readonly string[];
}

/**
 * Merges the constant labels of a process (service, instance, version) with the labels of
 * one call. A per-call label may not override a constant one: the constant value is kept and
 * the name is listed in {@link MergedLabels.conflicts} so the caller can report it. Neither
 * input is modified. Never throws.
 */
export function mergeLabels(
  constant: MetricLabels,
  perCall: MetricLabels | undefined,
): MergedLabels {
  if (perCall === undefined) return { labels: constant, conflicts: [] };
  const conflicts: string[] = [];
  const entries: [string, string][] = [];
  for (const entry of Object.entries(perCall)) {
    if (Object.hasOwn(constant, entry[0])) conflicts.push(entry[0]);
    else entries.push(entry);
  }
  entries.push(...Object.entries(constant));
  return { labels: Object.fromEntries(entries), conflicts: conflicts.sort() };
}

/**
 * Whether the label set `series` contains every label of `selector` with the same value
 * (an `undefined` or empty selector matches every series).
 */
export function labelsMatch(series: MetricLabels, selector: MetricLabels | undefined): boolean {
  if (selector === undefined) return true;
  for (const [name, value] of Object.entries(selector)) {
    if (!Object.hasOwn(series, name) || series[name] !== value) return false;
  }
  return true;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
