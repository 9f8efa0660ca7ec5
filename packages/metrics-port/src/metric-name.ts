import type { MetricKind } from "./metrics-port.js";

/** The characters Prometheus allows in a metric name. */
export const METRIC_NAME_PATTERN: RegExp = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Suffixes the text format gives to the series of a histogram (or summary). */
const RESERVED_SUFFIXES = ["_bucket", "_count", "_sum"] as const;

/**
 * Whether `name` is a syntactically valid Prometheus metric name: it matches
 * {@link METRIC_NAME_PATTERN} and does not start with `__` (reserved for internal use).
 * Conventions (see {@link metricNameProblems}) are not checked.
 */
export function isValidMetricName(name: string): boolean {
  return METRIC_NAME_PATTERN.test(name) && !name.startsWith("__");
}

/**
 * Every problem with `name` as the name of a metric of kind `kind`, as messages; empty when the
 * name is fine. Checks the syntax ({@link isValidMetricName}) and the conventions that
 * `promtool check metrics` enforces:
 * - a counter ends in `_total`; a gauge or histogram does not;
 * - a gauge or counter does not end in `_bucket`, `_count` or `_sum`, and a histogram does not
 *   either (its own series use those suffixes).
 *
 * Never throws.
 */
export function metricNameProblems(name: string, kind: MetricKind): string[] {
  if (typeof name !== "string" || name.length === 0)
    return ["a metric name must be a non-empty string"];
  if (!METRIC_NAME_PATTERN.test(name)) {
    return [`metric name "${name}" must match ${METRIC_NAME_PATTERN.source}`];
  }
  if (name.startsWith("__")) return [`metric name "${name}" must not start with "__" (reserved)`];
  const problems: string[] = [];
  if (kind === "counter" && !name.endsWith("_total")) {
    problems.push(`counter "${name}" must end in "_total"`);
  }
  if (kind !== "counter" && name.endsWith("_total")) {
    problems.push(`${kind} "${name}" must not end in "_total" (only counters do)`);
  }
  for (const suffix of RESERVED_SUFFIXES) {
    if (name.endsWith(suffix)) {
      problems.push(
        `${kind} "${name}" must not end in "${suffix}" (reserved for histogram series)`,
      );
    }
  }
  return problems;
}

/**
 * Throws a `TypeError` naming the first problem of {@link metricNameProblems}. Meant for
 * configuration time (a metric name constant, a prefix), never for the recording path.
 */
export function assertMetricName(name: string, kind: MetricKind): void {
  const [problem] = metricNameProblems(name, kind);
  if (problem !== undefined) throw new TypeError(problem);
}
