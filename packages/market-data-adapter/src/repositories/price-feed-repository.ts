import { checkText } from "@tse/field-checks";
import { validateSymbol } from "../model/market-symbol.js";
import type { PriceFeed, PriceFeedInput } from "../model/price-feed.js";
import {
  type CheckedTimeRange,
  checkTimeRangeQuery,
  type TimeRangeQuery,
} from "./time-range-query.js";

export type { SortOrder } from "./time-range-query.js";

/**
 * Which price feeds {@link PriceFeedRepository.query} returns: absent fields do not filter.
 * Time ranges are half-open: `from` inclusive, `to` exclusive.
 */
export interface PriceFeedQuery extends TimeRangeQuery {
  readonly symbol?: string;
  readonly source?: string;
}

/**
 * Sampled prices (`price_feeds` table), written in batches.
 *
 * Contract shared by every implementation (checked by `describePriceFeedRepositoryContract`):
 * - A batch is validated as a whole first: one bad row throws a `ValidationError` naming it
 *   (`feeds[9999].price`) and nothing of the batch is written. A valid batch is written
 *   atomically.
 * - Writing a feed whose `feedId` is already stored is a no-op, so a retried batch (after a
 *   timeout whose write did land) does not duplicate rows.
 * - Decimals come back as numbers rounded to 8 places; timestamps as `Date`s.
 */
export interface PriceFeedRepository {
  /** Validates and stores `feeds`; returns them as stored (ids assigned, decimals rounded). */
  insertBatch(feeds: readonly PriceFeedInput[]): Promise<PriceFeed[]>;

  /** The feed of `symbol` with the greatest timestamp (ties: greatest `feedId`), or `undefined`. */
  latest(symbol: string): Promise<PriceFeed | undefined>;

  /** {@link latest} for every symbol that has feeds, ordered by symbol. */
  latestAll(): Promise<PriceFeed[]>;

  /** The feeds matching `query`, ordered and paged as it says. Throws a `ValidationError` for a bad query. */
  query(query?: PriceFeedQuery): Promise<PriceFeed[]>;

  /** Deletes every feed with `timestamp < cutoff` (retention); returns how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** A {@link PriceFeedQuery} after {@link checkPriceFeedQuery}: every default applied. */
export interface CheckedPriceFeedQuery extends CheckedTimeRange {
  readonly symbol: string | undefined;
  readonly source: string | undefined;
}

/**
 * Checks a {@link PriceFeedQuery} and applies its defaults (`order` `desc`, `offset` 0, no
 * limit). Throws a `ValidationError` for a malformed symbol, an empty source, an invalid date,
 * a negative or fractional limit or offset, or an unknown order. Implementations call it so they
 * refuse the same queries.
 */
export function checkPriceFeedQuery(query: PriceFeedQuery = {}): CheckedPriceFeedQuery {
  return checkTimeRangeQuery(query, (q) => ({
    symbol: q.symbol === undefined ? undefined : validateSymbol(q.symbol),
    source: q.source === undefined ? undefined : checkText("source", q.source, 50),
  }));
}
