/** Order statistics of repeated measurements. */
export interface Stats {
  readonly rounds: number;
  readonly median: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The statistics of `values` (at least one). Percentiles use the nearest-rank method on the
 * sorted values, so p99 of fewer than 100 values is the largest; `median` interpolates between
 * the two middle values of an even count, `p50` does not.
 */
export function summarize(values: readonly number[]): Stats {
  if (values.length === 0) throw new RangeError("summarize needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = Number.isInteger(mid)
    ? ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
    : (sorted[Math.floor(mid)] as number);
  return {
    rounds: sorted.length,
    median,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** The nearest-rank `p`th percentile (0 < p ≤ 100) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no values");
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}
