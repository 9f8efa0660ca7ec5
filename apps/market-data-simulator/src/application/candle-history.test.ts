import { MemoryCandleRepository } from "@tse/market-data-adapter";
import { describe, expect, it } from "vitest";
import { MarketSimulator } from "../domain/engine/market-simulator.js";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import { CandleHistory, candleRange, HistoryUnavailableError } from "./candle-history.js";
import { toCandleInput } from "./market-feed.js";

const T0 = Date.UTC(2026, 10, 23);
const MINUTE = 60_000;

/** A simulator that keeps 10 candles per interval in memory, after 30 minutes, all stored. */
async function setup() {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD"]),
    seed: 3,
    startTime: T0,
    candleHistory: 10,
  });
  const stored = new MemoryCandleRepository();
  for (let t = T0 + 5_000; t <= T0 + 30 * MINUTE + 30_000; t += 5_000) {
    const step = simulator.advance(t);
    if (step.closedCandles.length > 0)
      await stored.upsertBatch(step.closedCandles.map(toCandleInput));
  }
  return { simulator, stored };
}

const starts = (candles: readonly { start: number }[]) =>
  candles.map((c) => (c.start - T0) / MINUTE);

describe("CandleHistory", () => {
  it("serves the latest candles from memory without asking the store", async () => {
    const { simulator } = await setup();
    const failing = { query: () => Promise.reject(new Error("must not be asked")) };
    const history = new CandleHistory(simulator, failing);
    const latest = await history.query("BTC-USD", "1m", { limit: 5 });
    expect(starts(latest)).toEqual([26, 27, 28, 29, 30]);
  });

  it("reaches past memory into the store, oldest first, without duplicates or gaps", async () => {
    const { simulator, stored } = await setup();
    const history = new CandleHistory(simulator, stored);
    const all = await history.query("BTC-USD", "1m", { limit: 100 });
    expect(starts(all)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    const window = await history.query("BTC-USD", "1m", {
      from: T0 + 5 * MINUTE,
      to: T0 + 25 * MINUTE,
      limit: 8,
    });
    expect(starts(window)).toEqual([17, 18, 19, 20, 21, 22, 23, 24]);
    const old = await history.query("BTC-USD", "1m", { to: T0 + 3 * MINUTE, limit: 100 });
    expect(starts(old)).toEqual([0, 1, 2]);
    const memoryOnly = await new CandleHistory(simulator).query("BTC-USD", "1m", { limit: 100 });
    expect(starts(memoryOnly)).toEqual(Array.from({ length: 11 }, (_, i) => i + 20));
  });

  it("says the history is unavailable when the store is needed and fails", async () => {
    const { simulator } = await setup();
    const history = new CandleHistory(simulator, {
      query: () => Promise.reject(new Error("connection refused")),
    });
    await expect(history.query("BTC-USD", "1m", { limit: 100 })).rejects.toThrow(
      HistoryUnavailableError,
    );
  });
});

describe("candleRange", () => {
  it("leaves a side open when its bound is undefined", () => {
    expect(candleRange(500, undefined, undefined)).toEqual({ limit: 500 });
    expect(candleRange(10, 1_000, undefined)).toEqual({ limit: 10, from: 1_000 });
    expect(candleRange(10, undefined, 2_000)).toEqual({ limit: 10, to: 2_000 });
    expect(Object.keys(candleRange(10, undefined, undefined))).toEqual(["limit"]);
  });
});
