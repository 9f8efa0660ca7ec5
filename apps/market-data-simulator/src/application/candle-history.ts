import { messageOf } from "@tse/error-text";
import type { Candle, CandleQuery } from "@tse/market-data-adapter";
import type { CandleInterval, OhlcCandle } from "../domain/candles/candle-aggregator.js";
import type { MarketSimulator } from "../domain/engine/market-simulator.js";

/** The candle intervals every API offers, and their lengths in ms. */
export { CANDLE_INTERVALS, INTERVALS } from "../domain/candles/candle-aggregator.js";

/** Where older candles are kept: the adapter's candle repository (Postgres). */
export interface StoredCandles {
  query(query: CandleQuery): Promise<Candle[]>;
}

/** Which candles {@link CandleHistory.query} returns. */
export interface CandleRange {
  /** Epoch ms: only candles starting at or after it. */
  readonly from?: number;
  /** Epoch ms: only candles starting before it. */
  readonly to?: number;
  /** At most this many, the most recent of the range. */
  readonly limit: number;
}

/** The range of at most `limit` candles from `from` to `to`, open on a side left undefined. */
export function candleRange(
  limit: number,
  from: number | undefined,
  to: number | undefined,
): CandleRange {
  return { limit, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** The store was needed for a range and did not answer; the API says Unavailable / 503. */
export class HistoryUnavailableError extends Error {
  override readonly name = "HistoryUnavailableError";
}

/**
 * Candle history for the APIs: the simulator's memory (the most recent candles of each
 * interval, and the open one) and, when the service persists, the store for what memory no
 * longer holds — so with Postgres a chart can reach back past a restart or past the memory
 * ring, and without it the history is what this process has simulated.
 *
 * Contract: candles come oldest first, at most `limit`, the most recent of the range; memory is
 * consulted first and the store only when memory does not cover the range, so the common
 * request (the latest candles) never waits for Postgres. A store failure on a range that needs
 * it throws {@link HistoryUnavailableError} rather than answering with a silent gap.
 */
export class CandleHistory {
  readonly #simulator: MarketSimulator;
  readonly #stored: StoredCandles | undefined;

  constructor(simulator: MarketSimulator, stored?: StoredCandles) {
    this.#simulator = simulator;
    this.#stored = stored;
  }

  /** The candles of `symbol` (a simulated one) and `interval` in `range`. */
  async query(symbol: string, interval: CandleInterval, range: CandleRange): Promise<OhlcCandle[]> {
    const recent = this.#simulator.candles(symbol, interval, range) ?? [];
    const retainedSince = this.#simulator.retainedCandlesSince(symbol, interval);
    const memoryCovers =
      recent.length >= range.limit ||
      (retainedSince !== undefined && range.from !== undefined && range.from >= retainedSince);
    if (this.#stored === undefined || memoryCovers) return recent;
    const olderThan = Math.min(range.to ?? Number.POSITIVE_INFINITY, retainedSince ?? Infinity);
    let older: Candle[];
    try {
      older = await this.#stored.query({
        symbol,
        interval,
        ...(range.from === undefined ? {} : { from: new Date(range.from) }),
        ...(Number.isFinite(olderThan) ? { to: new Date(olderThan) } : {}),
        limit: range.limit - recent.length,
        order: "desc",
      });
    } catch (error) {
      throw new HistoryUnavailableError(`stored history is unavailable: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return [...older.reverse().map(fromStoredCandle), ...recent];
  }
}

/** A stored candle as the domain's candle. */
export function fromStoredCandle(candle: Candle): OhlcCandle {
  return {
    symbol: candle.symbol,
    interval: candle.interval,
    start: candle.startTime.getTime(),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    trades: candle.numTrades,
  };
}
