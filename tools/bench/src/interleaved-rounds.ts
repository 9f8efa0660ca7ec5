import { type Stats, summarize } from "./stats.js";

/** One timed unit of work: resolves to how many units (rows, requests) it processed. */
export type Trial = (round: number) => Promise<number>;

/** Options of {@link interleavedRounds}. */
export interface InterleavedRoundsOptions {
  readonly rounds: number;
  /** Untimed rounds first (JIT, prepared statements, caches). */
  readonly warmup: number;
  readonly candidate: Trial;
  readonly baseline: Trial;
  /** Runs before every trial, untimed (e.g. truncate the table). */
  readonly reset?: () => Promise<void>;
  /** Monotonic clock in nanoseconds; `process.hrtime.bigint` unless a test injects one. */
  readonly clock?: () => bigint;
}

/** Throughput (units per second) of each side, one value per timed round. */
export interface InterleavedResult {
  readonly candidate: Stats;
  readonly baseline: Stats;
}

/**
 * Runs candidate and baseline alternately, swapping which goes first every round, so a machine
 * that gets busier or quieter during the run affects both alike. Returns units/second per side.
 */
export async function interleavedRounds(
  options: InterleavedRoundsOptions,
): Promise<InterleavedResult> {
  const candidate: number[] = [];
  const baseline: number[] = [];
  const clock = options.clock ?? process.hrtime.bigint;
  const timed = async (trial: Trial, round: number): Promise<number> => {
    await options.reset?.();
    const started = clock();
    const units = await trial(round);
    const seconds = Number(clock() - started) / 1e9;
    return units / seconds;
  };
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const candidateFirst = round % 2 === 0;
    const first = await timed(candidateFirst ? options.candidate : options.baseline, round);
    const second = await timed(candidateFirst ? options.baseline : options.candidate, round);
    if (round < options.warmup) continue;
    candidate.push(candidateFirst ? first : second);
    baseline.push(candidateFirst ? second : first);
  }
  return { candidate: summarize(candidate), baseline: summarize(baseline) };
}
