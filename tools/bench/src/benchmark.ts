import type { Stats } from "./stats.js";

/** How a benchmark run was asked for. */
export interface BenchmarkContext {
  /** `--quick`: fewer rows and rounds, for a run under a minute. */
  readonly quick: boolean;
  /** Progress lines (stderr), so stdout stays the result table. */
  readonly log: (line: string) => void;
}

/** A candidate measured against a baseline doing the same work in the same run. */
export interface Comparison {
  /** What was measured, e.g. `candle upsert (repository)`. */
  readonly subject: string;
  /** The unit of both statistics, e.g. `rows/s`; higher is better. */
  readonly unit: string;
  readonly candidate: Stats;
  /** What the baseline is, e.g. `raw postgres.js COPY`. */
  readonly baselineName: string;
  readonly baseline: Stats;
  /**
   * candidate median / baseline median; for a benchmark that measures both sides in the same
   * window each round (metrics-overhead), the median of the rounds' ratios.
   */
  readonly ratio: number;
  /** The lowest acceptable ratio, when the issue sets one. */
  readonly target?: number;
}

/** A single figure the issue bounds absolutely (e.g. memory per stream ≤ 64 KB). */
export interface LimitCheck {
  readonly subject: string;
  readonly unit: string;
  readonly value: number;
  /** The highest acceptable value. */
  readonly max: number;
}

/** The outcome of one benchmark. */
export interface BenchmarkResult {
  readonly name: string;
  readonly comparisons: readonly Comparison[];
  /** Figures with an absolute bound instead of a baseline. */
  readonly limits?: readonly LimitCheck[];
  /** Single figures that have no baseline (e.g. `backfill seconds`). */
  readonly figures: Readonly<Record<string, number>>;
}

/** One benchmark of `tools/bench`. */
export interface Benchmark {
  /** kebab-case, used by `--only`. */
  readonly name: string;
  readonly description: string;
  /** Runs only when named with `--only` (e.g. a soak that takes ten minutes). */
  readonly optIn?: boolean;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
}

/** Whether a comparison met its target (`undefined` when it has none). */
export function targetMet(comparison: Comparison): boolean | undefined {
  return comparison.target === undefined ? undefined : comparison.ratio >= comparison.target;
}
