import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random/seeded-random.js";
import {
  CANDLE_INTERVALS,
  CandleAggregator,
  type CandleInterval,
  candleStart,
  INTERVALS,
  type OhlcCandle,
} from "./candle-aggregator.js";

const T0 = Date.UTC(2026, 10, 23);

/** Every candle (closed, then the still-open ones) of a seeded random tick stream. */
function aggregateRandomTicks(seed: number, hours: number): OhlcCandle[] {
  const random = new SeededRandom(seed);
  const aggregator = new CandleAggregator();
  const candles: OhlcCandle[] = [];
  let price = 100;
  let time = T0 + 17_000;
  while (time < T0 + hours * 3_600_000) {
    price *= Math.exp(0.002 * random.normal());
    const result = aggregator.add({
      symbol: "BTC-USD",
      price,
      // Quantities of 8 decimals, as the tape's.
      quantity: Math.round(random.uniform() * 3e8) / 1e8,
      timestamp: time,
    });
    candles.push(...result.closed);
    // Mostly seconds apart, sometimes a gap of minutes, so some periods have no candle.
    time += random.uniform() < 0.01 ? 7 * 60_000 : Math.ceil(random.uniform() * 20_000);
  }
  for (const interval of INTERVALS) {
    const open = aggregator.openCandle("BTC-USD", interval);
    if (open !== undefined) candles.push(open);
  }
  return candles;
}

function combine(
  parts: readonly OhlcCandle[],
  interval: CandleInterval,
): Omit<OhlcCandle, "symbol"> {
  const first = parts[0] as OhlcCandle;
  const last = parts[parts.length - 1] as OhlcCandle;
  return {
    interval,
    start: candleStart(first.start, interval),
    open: first.open,
    high: Math.max(...parts.map((c) => c.high)),
    low: Math.min(...parts.map((c) => c.low)),
    close: last.close,
    volume: Number(parts.reduce((sum, c) => sum + c.volume, 0).toFixed(8)),
    trades: parts.reduce((sum, c) => sum + c.trades, 0),
  };
}

describe("CandleAggregator", () => {
  const candles = aggregateRandomTicks(4, 50);
  const byInterval = (interval: CandleInterval) =>
    candles.filter((c) => c.interval === interval).sort((a, b) => a.start - b.start);

  it("keeps low ≤ open, close ≤ high and aligned starts in every candle", () => {
    expect(candles.length).toBeGreaterThan(2_000);
    for (const c of candles) {
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.start % CANDLE_INTERVALS[c.interval]).toBe(0);
      expect(c.trades).toBeGreaterThan(0);
    }
  });

  it("makes every longer candle the exact aggregate of the shorter candles inside it", () => {
    for (let i = 1; i < INTERVALS.length; i++) {
      const longer = INTERVALS[i] as CandleInterval;
      const shorter = byInterval(INTERVALS[i - 1] as CandleInterval);
      for (const candle of byInterval(longer)) {
        const parts = shorter.filter((c) => candleStart(c.start, longer) === candle.start);
        const expected = combine(parts, longer);
        expect(candle).toEqual({ ...expected, symbol: "BTC-USD" });
      }
    }
  });

  it("keeps volumes on the stores' 8 decimals, without float noise", () => {
    expect(candles.every((c) => Number(c.volume.toFixed(8)) === c.volume)).toBe(true);
    const aggregator = new CandleAggregator();
    for (const quantity of [0.1, 0.2, 20.01, 0.00000001]) {
      aggregator.add({ symbol: "ETH-USD", price: 3_000, quantity, timestamp: T0 });
    }
    // 0.1 + 0.2 + 20.01 + 1e-8 is 20.310000010000003 in floats.
    expect(aggregator.openCandle("ETH-USD", "1m")?.volume).toBe(20.31000001);
  });

  it("leaves periods without ticks without a candle", () => {
    const minutes = byInterval("1m").map((c) => c.start);
    const gaps = minutes.filter((start, i) => i > 0 && start - (minutes[i - 1] as number) > 60_000);
    expect(gaps.length).toBeGreaterThan(0);
  });

  it("refuses a tick older than the open candle, and impossible prices", () => {
    const aggregator = new CandleAggregator();
    aggregator.add({ symbol: "ETH-USD", price: 10, quantity: 1, timestamp: T0 + 120_000 });
    expect(() =>
      aggregator.add({ symbol: "ETH-USD", price: 10, quantity: 1, timestamp: T0 + 59_000 }),
    ).toThrow(/older than the open candle/);
    expect(() =>
      aggregator.add({ symbol: "ETH-USD", price: 0, quantity: 1, timestamp: T0 + 121_000 }),
    ).toThrow(/price/);
    expect(() =>
      aggregator.add({
        symbol: "ETH-USD",
        price: 1,
        quantity: Number.NaN,
        timestamp: T0 + 121_000,
      }),
    ).toThrow(/quantity/);
  });

  it("resumes a stored open candle instead of starting a conflicting one", () => {
    const aggregator = new CandleAggregator();
    const stored: OhlcCandle = {
      symbol: "SOL-USD",
      interval: "1m",
      start: T0,
      open: 150,
      high: 152,
      low: 149,
      close: 151,
      volume: 10,
      trades: 4,
    };
    aggregator.resume([stored]);
    const { open, closed } = aggregator.add({
      symbol: "SOL-USD",
      price: 153,
      quantity: 2,
      timestamp: T0 + 30_000,
    });
    expect(closed).toEqual([]);
    expect(open[0]).toEqual({ ...stored, high: 153, close: 153, volume: 12, trades: 5 });
    const next = aggregator.add({
      symbol: "SOL-USD",
      price: 148,
      quantity: 1,
      timestamp: T0 + 61_000,
    });
    expect(next.closed).toEqual([{ ...stored, high: 153, close: 153, volume: 12, trades: 5 }]);
    expect(next.open[0]).toMatchObject({ start: T0 + 60_000, open: 148, trades: 1 });
  });
});
