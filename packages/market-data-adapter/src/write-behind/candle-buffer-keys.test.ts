import { describe, expect, it } from "vitest";
import { sampleCandle } from "../contract/candle-repository.contract.js";
import { type CandleInput, validateCandle } from "../model/candle.js";
import { CANDLE_INTERVAL_MS, CANDLE_INTERVALS } from "../model/candle-interval.js";
import { CandleBufferKeys } from "./candle-buffer-keys.js";

const DAY = 86_400_000;
const candle = (overrides: Partial<CandleInput>) => validateCandle(sampleCandle(0, overrides));

describe("CandleBufferKeys", () => {
  it("gives the same candle (symbol, interval, start) one key whatever its values", () => {
    const keys = new CandleBufferKeys();
    const start = new Date(Date.UTC(2026, 0, 1, 9, 30));
    const first = keys.key(candle({ startTime: start, close: 100.5 }));
    expect(typeof first).toBe("number");
    expect(keys.key(candle({ startTime: new Date(start), close: 101, volume: 3 }))).toBe(first);
  });

  it("tells apart every series and start, one interval apart and across the Date range", () => {
    const keys = new CandleBufferKeys();
    const seen = new Set<string | number>();
    let count = 0;
    for (const symbol of ["BTC-USD", "ETH-USD", "SOL-EUR"]) {
      for (const interval of CANDLE_INTERVALS) {
        const length = CANDLE_INTERVAL_MS[interval];
        // The first and last whole days a Date can hold, and neighbours of the epoch and now.
        const starts = [-8.64e15, -length, 0, length, Date.UTC(2026, 0, 1), 8.64e15 - DAY];
        for (const start of starts) {
          seen.add(keys.key(candle({ symbol, interval, startTime: new Date(start) })));
          count += 1;
        }
      }
    }
    expect(seen.size).toBe(count);
    for (const key of seen) expect(Number.isSafeInteger(key)).toBe(true);
  });

  it("falls back to distinct string keys past 2^14 series", () => {
    const keys = new CandleBufferKeys();
    const startTime = new Date(Date.UTC(2026, 0, 1));
    const seen = new Set<string | number>();
    // 2 731 symbols × 6 intervals = 16 386 series, two more than get numeric keys.
    for (let n = 0; n < 2_731; n++) {
      const symbol = `S${n.toString(36).toUpperCase().padStart(3, "0")}-USD`;
      for (const interval of CANDLE_INTERVALS) {
        seen.add(keys.key(candle({ symbol, interval, startTime })));
      }
    }
    const all = [...seen];
    expect(all).toHaveLength(2_731 * 6);
    expect(all.filter((key) => typeof key === "number")).toHaveLength(2 ** 14);
    const last = all.at(-1);
    expect(typeof last).toBe("string");
    // The same candle of a late series keeps its string key.
    expect(keys.key(candle({ symbol: "S23U-USD", interval: "1d", startTime }))).toBe(last);
  });
});
