import { CANDLE_INTERVALS, type OhlcCandle } from "../candles/candle-aggregator.js";

/** A candle as a stream publishes it: the open candle as it changes, then once closed. */
export interface CandleUpdate {
  readonly symbol: string;
  readonly candle: OhlcCandle;
  readonly closed: boolean;
}

/**
 * How many closed candles of one symbol and interval a subscriber's queue holds: more than one
 * tick of the live feed closes at the highest permitted pace (84 one-minute periods), so a
 * subscriber that keeps up receives every close, and one that does not keeps the newest 100.
 */
export const CLOSED_CANDLES_KEPT = 100;

/**
 * The conflation key of a candle update: a newer state of the same open candle replaces an older
 * one; a closed candle is never replaced by the next open one, nor by the next
 * {@link CLOSED_CANDLES_KEPT} − 1 closed ones.
 */
export function candleUpdateKey(update: CandleUpdate): string {
  const { symbol, candle } = update;
  if (!update.closed) return `${symbol} ${candle.interval} open`;
  const period = Math.floor(candle.start / CANDLE_INTERVALS[candle.interval]);
  return `${symbol} ${candle.interval} closed ${period % CLOSED_CANDLES_KEPT}`;
}
