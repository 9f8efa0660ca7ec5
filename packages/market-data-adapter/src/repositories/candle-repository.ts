import {
  checkOptionalDate,
  checkOrder,
  checkPage,
  type Page,
  ValidationError,
} from "@tse/field-checks";
import type { Candle, CandleInput } from "../model/candle.js";
import { type CandleInterval, validateCandleInterval } from "../model/candle-interval.js";
import { validateSymbol } from "../model/market-symbol.js";
import type { SortOrder } from "./time-range-query.js";

/**
 * Which candles {@link CandleRepository.query} returns: one symbol and interval, optionally a
 * half-open range of start times.
 */
export interface CandleQuery {
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** Only candles with `startTime >= from`. */
  readonly from?: Date;
  /** Only candles with `startTime < to`. */
  readonly to?: Date;
  /** At most this many (an integer ≥ 0); absent means all. */
  readonly limit?: number;
  /** Skip this many first (an integer ≥ 0, after ordering); absent means 0. */
  readonly offset?: number;
  /** By `startTime`; `asc` (oldest first) when absent. */
  readonly order?: SortOrder;
}

/**
 * OHLCV candles (`candles` table), upserted in batches on `(symbol, interval, startTime)`.
 *
 * Contract shared by every implementation (checked by `describeCandleRepositoryContract`):
 * - A batch is validated as a whole first: one bad row throws a `ValidationError` naming it and
 *   nothing of the batch is written. A valid batch is written atomically.
 * - Upserting a candle whose `(symbol, interval, startTime)` is stored replaces all its values
 *   with the given ones (the producer sends the authoritative aggregate; nothing is merged).
 *   Within one batch, the last candle with a key wins.
 * - Decimals come back as numbers rounded to 8 places; times as `Date`s.
 */
export interface CandleRepository {
  /** Validates and upserts `candles`; returns how many distinct candles were written. */
  upsertBatch(candles: readonly CandleInput[]): Promise<number>;

  /** The candle of `symbol` and `interval` with the greatest `startTime`, or `undefined`. */
  latest(symbol: string, interval: CandleInterval): Promise<Candle | undefined>;

  /** The candles matching `query`, ordered and paged as it says. Throws a `ValidationError` for a bad query. */
  query(query: CandleQuery): Promise<Candle[]>;

  /**
   * The last candle persisted for `symbol` and `interval` — the one with the greatest
   * `startTime`, which may still be open — so a restarting producer resumes aggregating from it
   * instead of starting a fresh, conflicting candle. Same result as {@link latest}.
   */
  lastPersisted(symbol: string, interval: CandleInterval): Promise<Candle | undefined>;

  /** {@link lastPersisted} for every stored `(symbol, interval)`, ordered by symbol then interval length. */
  lastPersistedAll(): Promise<Candle[]>;
}

/** A {@link CandleQuery} after {@link checkCandleQuery}: every default applied. */
export interface CheckedCandleQuery extends Page {
  readonly symbol: string;
  readonly interval: CandleInterval;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly order: SortOrder;
}

/**
 * Checks a {@link CandleQuery} and applies its defaults (`order` `asc`, `offset` 0, no limit).
 * Throws a `ValidationError` for a malformed symbol, an unknown interval, an invalid date, a
 * negative or fractional limit or offset, or an unknown order.
 */
export function checkCandleQuery(query: CandleQuery): CheckedCandleQuery {
  if (typeof query !== "object" || query === null) {
    throw new ValidationError("query", "must be an object", query);
  }
  return {
    symbol: validateSymbol(query.symbol),
    interval: validateCandleInterval(query.interval),
    from: checkOptionalDate("from", query.from),
    to: checkOptionalDate("to", query.to),
    ...checkPage(query.limit, query.offset),
    order: checkOrder(query.order, "asc"),
  };
}
