import { describe, expect, it } from "vitest";
import { quoteAround, T0 } from "../../testing/engine-fixtures.js";
import { type MeanReversionInput, MeanReversionStrategy } from "./mean-reversion.js";
import type { StrategyView } from "./trading-strategy.js";

// strategies.test.ts covers the warm-up, entries on both sides, the long exit, the short stop
// loss, the limit buy and the parameters; this file adds the z-score itself, the short exit,
// the long stop loss, the limit sell and samples kept per instrument.

const SAMPLES = [1, 2, 3];

/** A strategy whose BTC-USD samples are {@link SAMPLES} (mean 2, sample deviation 1). */
function sampled(input: Partial<MeanReversionInput> = {}) {
  const strategy = new MeanReversionStrategy({
    orderQuantity: 1,
    lookback: SAMPLES.length,
    sampleIntervalMs: 1_000,
    entryZScore: 1.5,
    exitZScore: 0.5,
    ...input,
  });
  for (const [i, value] of SAMPLES.entries())
    strategy.memory.sample("BTC-USD", value, T0 + i * 1_000);
  return strategy;
}

/** A view of BTC-USD within the sample interval of the last sample, so it adds none. */
function view(mid: number, overrides: Partial<StrategyView> = {}): StrategyView {
  return {
    now: T0 + 2_500,
    quote: quoteAround(mid, 0.01),
    position: 0,
    averageEntryPrice: 0,
    openOrders: [],
    maxPosition: 0,
    ...overrides,
  };
}

describe("MeanReversionStrategy.zScore", () => {
  it("measures against the mean and the sample standard deviation (n − 1)", () => {
    const strategy = sampled();
    expect(strategy.zScore("BTC-USD", 4)).toBe(2);
    expect(strategy.zScore("BTC-USD", 1.5)).toBe(-0.5);
  });

  it("has no z-score before a full lookback, for another instrument, or for flat samples", () => {
    const strategy = sampled({ lookback: 4 });
    expect(strategy.zScore("BTC-USD", 4)).toBeUndefined();
    expect(sampled().zScore("ETH-USD", 4)).toBeUndefined();
    const flat = sampled();
    for (const [i, value] of [5, 5, 5].entries())
      flat.memory.sample("BTC-USD", value, T0 + 10_000 + i * 1_000);
    expect(flat.zScore("BTC-USD", 9)).toBeUndefined();
    expect(flat.onQuote(view(9, { now: T0 + 12_500 })).place).toEqual([]);
  });
});

describe("MeanReversionStrategy.onQuote", () => {
  it("closes a short once the z-score falls to the exit level, not above it", () => {
    const strategy = sampled();
    const short = { position: -2, averageEntryPrice: 3 };
    expect(strategy.onQuote(view(2.6, short)).place).toEqual([]);
    expect(strategy.onQuote(view(2.5, short)).place).toEqual([
      { side: "buy", type: "market", quantity: 2 },
    ]);
  });

  it("closes a long on the stop loss before the z-score is asked", () => {
    // z is −1 at a mid of 1, below the exit level −0.5: only the stop loss closes here.
    const strategy = sampled({ stopLossBps: 5_000 });
    const long = { position: 1.5, averageEntryPrice: 2 };
    expect(strategy.onQuote(view(1.01, long)).place).toEqual([]);
    expect(strategy.onQuote(view(1, long)).place).toEqual([
      { side: "sell", type: "market", quantity: 1.5 },
    ]);
  });

  it("enters a short with a limit at the ask when asked for limits", () => {
    const strategy = sampled({ entryOrderType: "limit" });
    expect(strategy.onQuote(view(4)).place).toEqual([
      { side: "sell", type: "limit", quantity: 1, limitPrice: 4.01 },
    ]);
  });

  it("enters at the entry level itself", () => {
    expect(sampled().onQuote(view(3.5)).place).toEqual([
      { side: "sell", type: "market", quantity: 1 },
    ]);
    expect(sampled().onQuote(view(3.49)).place).toEqual([]);
  });
});
