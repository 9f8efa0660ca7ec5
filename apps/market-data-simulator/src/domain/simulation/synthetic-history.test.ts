import { describe, expect, it } from "vitest";
import { buildUniverse } from "../market/symbol-universe.js";
import { SECONDS_PER_YEAR } from "../price/price-process.js";
import { logReturns, standardDeviation } from "./similarity.js";
import { synthesizeCandles } from "./synthetic-history.js";

const btc = buildUniverse(["BTC-USD"]).symbols[0];
if (btc === undefined) throw new Error("no BTC-USD");
const FIRST = Date.UTC(2026, 0, 1);

describe("synthesizeCandles", () => {
  const window = { config: btc, interval: "1m" as const, firstStart: FIRST, count: 2_000, seed: 5 };

  it("is reproducible, aligned, continuous and on the tick grid", () => {
    const candles = [...synthesizeCandles(window)];
    expect([...synthesizeCandles(window)]).toEqual(candles);
    expect([...synthesizeCandles({ ...window, seed: 6 })]).not.toEqual(candles);
    expect(candles).toHaveLength(2_000);
    expect(candles[0]?.open).toBe(btc.initialPrice);
    candles.forEach((candle, i) => {
      expect(candle.start).toBe(FIRST + i * 60_000);
      if (i > 0) expect(candle.open).toBe(candles[i - 1]?.close);
      expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
      expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
      for (const price of [candle.open, candle.high, candle.low, candle.close]) {
        expect(Math.abs(price * 100 - Math.round(price * 100))).toBeLessThan(1e-6);
      }
      expect(candle.volume).toBeGreaterThan(0);
    });
    // Highs and lows come from the steps inside a candle, not only from its open and close.
    expect(candles.some((c) => c.high > Math.max(c.open, c.close))).toBe(true);
  });

  it("moves with the symbol's configured volatility", () => {
    const closes = [...synthesizeCandles(window)].map((c) => c.close);
    const perMinute = btc.annualVolatility * Math.sqrt(60 / SECONDS_PER_YEAR);
    // Calm and turbulent regimes and jumps make it vary around σ; a factor of 0.8 to 1.6.
    const ratio = standardDeviation(logReturns(closes)) / perMinute;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.6);
  });
});
