import type { OhlcCandle } from "../candles/candle-aggregator.js";

/** A candle as a stream publishes it: the open candle as it changes, then once closed. */
export interface CandleUpdate {
  readonly symbol: string;
  readonly candle: OhlcCandle;
  readonly closed: boolean;
}

/**
 * The conflation key of a candle update: a newer state of the same open candle replaces an older
 * one, but a closed candle is never replaced by the next open one.
 */
export function candleUpdateKey(update: CandleUpdate): string {
  return `${update.symbol} ${update.candle.interval} ${update.closed ? "closed" : "open"}`;
}
