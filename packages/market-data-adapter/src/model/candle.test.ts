import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { type CandleInput, lastCandlePerKey, validateCandle } from "./candle.js";
import { CANDLE_INTERVAL_MS, CANDLE_INTERVALS } from "./candle-interval.js";

const start = new Date(Date.UTC(2025, 0, 1, 4));
const base: CandleInput = {
  symbol: "ETH-USD",
  interval: "4h",
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  volume: 3,
  startTime: start,
};

describe("validateCandle", () => {
  it("returns a frozen record, and that record itself when given it again", () => {
    const record = validateCandle(base);
    expect(Object.isFrozen(record)).toBe(true);
    expect(validateCandle(record)).toBe(record);
    // An unfrozen look-alike is validated afresh (and a bad one refused).
    expect(validateCandle({ ...record })).not.toBe(record);
    expect(() => validateCandle({ ...record, low: 13 })).toThrow(ValidationError);
    // So is a look-alike given the record's prototype: the mark of a validated record is private.
    const forged = Object.setPrototypeOf({ ...record, low: 13 }, Object.getPrototypeOf(record));
    expect(forged).toBeInstanceOf(record.constructor);
    expect(() => validateCandle(forged)).toThrow(ValidationError);
  });

  it("derives the end time and defaults trades and metadata", () => {
    expect(validateCandle(base)).toEqual({
      ...base,
      endTime: new Date(start.getTime() + 4 * 3_600_000),
      numTrades: 0,
      metadata: {},
    });
    // Absent metadata is one frozen {} that no caller can fill in for every other record.
    expect(Object.isFrozen(validateCandle(base).metadata)).toBe(true);
  });

  it("accepts every interval at an aligned start", () => {
    for (const interval of CANDLE_INTERVALS) {
      const candle = validateCandle({
        ...base,
        interval,
        startTime: new Date(Date.UTC(2025, 0, 1)),
      });
      expect(candle.endTime.getTime() - candle.startTime.getTime()).toBe(
        CANDLE_INTERVAL_MS[interval],
      );
    }
  });

  it("checks OHLC after rounding, as Postgres' constraint sees the stored values", () => {
    // 12.000000001 rounds to 12: the close equals the high then.
    expect(validateCandle({ ...base, close: 12.000000001 }).close).toBe(12);
    expect(() => validateCandle({ ...base, close: 12.00000001 })).toThrow(ValidationError);
  });

  it("gives a clear message", () => {
    expect(() => validateCandle({ ...base, interval: "2h" as CandleInput["interval"] })).toThrow(
      'interval must be one of 1m, 5m, 15m, 1h, 4h, 1d (got "2h")',
    );
    expect(() => validateCandle({ ...base, high: 8 })).toThrow(
      "high must not be below low (9) (got 8)",
    );
  });

  it("copies its dates so a caller's later changes do not reach the store", () => {
    const startTime = new Date(start);
    const candle = validateCandle({ ...base, startTime });
    startTime.setTime(0);
    expect(candle.startTime).toEqual(start);
  });
});

describe("lastCandlePerKey", () => {
  it("keeps the last candle of each key, in the order of those last occurrences", () => {
    const a = validateCandle({ ...base, close: 10 });
    const b = validateCandle({ ...base, symbol: "BTC-USD" });
    const a2 = validateCandle({ ...base, close: 11.5 });
    expect(lastCandlePerKey([a, b, a2])).toEqual([b, a2]);
  });

  it("keeps every candle, in order, when each series' starts increase; dedupes when they do not", () => {
    const at = (hours: number, symbol = "ETH-USD") =>
      validateCandle({ ...base, symbol, startTime: new Date(start.getTime() + hours * 3_600_000) });
    const increasing = [at(0), at(0, "BTC-USD"), at(4), at(4, "BTC-USD"), at(8)];
    expect(lastCandlePerKey(increasing)).toEqual(increasing);
    // Same keys again later in the batch, out of order: the Map path keeps the last of each.
    const repeated = [at(4), at(0), at(4)];
    expect(lastCandlePerKey(repeated)).toEqual([repeated[1], repeated[2]]);
  });
});
