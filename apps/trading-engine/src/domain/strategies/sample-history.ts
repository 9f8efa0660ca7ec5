import type { StrategyMemory } from "./trading-strategy.js";

interface Samples {
  readonly values: number[];
  lastSampleAt: number;
}

/** The saved form of a {@link SampleHistory}: per instrument, its samples and when the last was taken. */
export interface SavedSamples {
  readonly samples: Readonly<
    Record<string, { readonly values: readonly number[]; readonly lastSampleAt: number }>
  >;
}

/**
 * The mids a strategy sampled, per instrument: one at most every `intervalMs`, the newest
 * `lookback` kept. It is the strategy's memory: saved with the strategy and restored after a
 * restart, so a restarted strategy goes on from the same samples — like one paused while the
 * engine was down: mids of the downtime are not filled in.
 */
export class SampleHistory implements StrategyMemory {
  readonly #lookback: number;
  readonly #intervalMs: number;
  readonly #samples = new Map<string, Samples>();
  #version = 0;

  constructor(lookback: number, intervalMs: number) {
    this.#lookback = lookback;
    this.#intervalMs = intervalMs;
  }

  get version(): number {
    return this.#version;
  }

  /** Takes `mid` as a sample of `instrument` at `now`, when the interval since the last passed. */
  sample(instrument: string, mid: number, now: number): void {
    let samples = this.#samples.get(instrument);
    if (samples === undefined) {
      samples = { values: [], lastSampleAt: Number.NEGATIVE_INFINITY };
      this.#samples.set(instrument, samples);
    }
    if (now - samples.lastSampleAt < this.#intervalMs) return;
    samples.lastSampleAt = now;
    samples.values.push(mid);
    if (samples.values.length > this.#lookback) samples.values.shift();
    this.#version += 1;
  }

  /** The samples of `instrument`, oldest first. */
  values(instrument: string): readonly number[] {
    return this.#samples.get(instrument)?.values ?? [];
  }

  save(): SavedSamples {
    const samples: Record<string, { values: number[]; lastSampleAt: number }> = {};
    for (const [instrument, s] of this.#samples) {
      // An instrument seen but never sampled has nothing to keep (and no finite time).
      if (s.values.length > 0)
        samples[instrument] = { values: [...s.values], lastSampleAt: s.lastSampleAt };
    }
    return { samples };
  }

  /**
   * Takes back what {@link save} gave. Entries that are not well-formed (values not finite
   * numbers > 0, a time not finite) are skipped; at most the newest `lookback` values are kept.
   */
  restore(state: unknown): void {
    const saved = (state as Partial<SavedSamples> | null)?.samples;
    if (typeof saved !== "object" || saved === null) return;
    for (const [instrument, entry] of Object.entries(saved)) {
      const values: unknown = entry?.values;
      const lastSampleAt: unknown = entry?.lastSampleAt;
      if (
        !Array.isArray(values) ||
        !values.every((v) => typeof v === "number" && Number.isFinite(v) && v > 0) ||
        typeof lastSampleAt !== "number" ||
        !Number.isFinite(lastSampleAt)
      ) {
        continue;
      }
      this.#samples.set(instrument, {
        values: (values as number[]).slice(-this.#lookback),
        lastSampleAt,
      });
    }
  }
}
