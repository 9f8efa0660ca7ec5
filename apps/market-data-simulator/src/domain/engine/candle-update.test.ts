import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CANDLE_INTERVALS,
  type CandleInterval,
  INTERVALS,
  type OhlcCandle,
} from "../candles/candle-aggregator.js";
import { type CandleUpdate, CLOSED_CANDLES_KEPT, candleUpdateKey } from "./candle-update.js";

const T0 = Date.UTC(2026, 10, 23);

function update(
  interval: CandleInterval,
  period: number,
  closed: boolean,
  symbol = "BTC-USD",
): CandleUpdate {
  const candle: OhlcCandle = {
    symbol,
    interval,
    start: T0 + period * CANDLE_INTERVALS[interval],
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 0,
    trades: 0,
  };
  return { symbol, candle, closed };
}

describe("candleUpdateKey", () => {
  it("gives every state of the open candles of one symbol and interval the same key", () => {
    expect(candleUpdateKey(update("1m", 0, false))).toBe(candleUpdateKey(update("1m", 1, false)));
  });

  it("keeps symbols, intervals and open against closed apart", () => {
    const keys = [
      update("1m", 0, false),
      update("1m", 0, true),
      update("5m", 0, false),
      update("5m", 0, true),
      update("1m", 0, false, "ETH-USD"),
      update("1m", 0, true, "ETH-USD"),
    ].map(candleUpdateKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("never lets a closed candle be replaced by one of the next CLOSED_CANDLES_KEPT − 1 periods", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: CLOSED_CANDLES_KEPT - 1 }),
        (interval, period, later) => {
          expect(candleUpdateKey(update(interval, period, true))).not.toBe(
            candleUpdateKey(update(interval, period + later, true)),
          );
        },
      ),
    );
  });

  it("lets the closed candle CLOSED_CANDLES_KEPT periods later replace it (the queue keeps the newest 100)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: 0, max: 1_000_000 }),
        (interval, period) => {
          expect(candleUpdateKey(update(interval, period + CLOSED_CANDLES_KEPT, true))).toBe(
            candleUpdateKey(update(interval, period, true)),
          );
        },
      ),
    );
  });
});
