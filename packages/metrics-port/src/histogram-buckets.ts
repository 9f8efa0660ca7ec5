/**
 * The default histogram buckets, in seconds, from 5 ms to 10 s: suited to request and
 * decision latencies. Every implementation uses them for a histogram that was not given
 * buckets through `describe`.
 */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/**
 * Every problem with `buckets` as histogram bucket upper bounds (empty when valid): at least
 * one bound, every bound a finite number, strictly ascending. `+Inf` is implicit and must not
 * be listed. Never throws.
 */
export function bucketProblems(buckets: readonly number[]): string[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    return ["histogram buckets must be a non-empty array of finite numbers"];
  }
  const problems: string[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const bound of buckets) {
    if (typeof bound !== "number" || !Number.isFinite(bound)) {
      problems.push("histogram bucket bounds must be finite numbers (+Inf is implicit)");
      break;
    }
    if (bound <= previous) {
      problems.push("histogram bucket bounds must be strictly ascending");
      break;
    }
    previous = bound;
  }
  return problems;
}
