import {
  checkOptionalDate,
  checkOrder,
  checkPage,
  type Page,
  ValidationError,
} from "@tse/field-checks";
import type { MarketSnapshot, MarketSnapshotInput } from "../model/market-snapshot.js";
import { validateSymbol } from "../model/market-symbol.js";
import type { SortOrder } from "./price-feed-repository.js";

/**
 * Which snapshots {@link SnapshotRepository.query} returns: absent fields do not filter. Time
 * ranges are half-open: `from` inclusive, `to` exclusive.
 */
export interface SnapshotQuery {
  readonly symbol?: string;
  /** Only snapshots with `timestamp >= from`. */
  readonly from?: Date;
  /** Only snapshots with `timestamp < to`. */
  readonly to?: Date;
  /** At most this many (an integer ≥ 0); absent means all. */
  readonly limit?: number;
  /** Skip this many first (an integer ≥ 0, after ordering); absent means 0. */
  readonly offset?: number;
  /** By `timestamp` (ties by `snapshotId`); `desc` (newest first) when absent. */
  readonly order?: SortOrder;
}

/**
 * Market snapshots (`market_snapshots` table), written in batches.
 *
 * Contract shared by every implementation (checked by `describeSnapshotRepositoryContract`):
 * the same as `PriceFeedRepository` — whole-batch validation and atomic writes, a stored
 * `snapshotId` written again is a no-op, decimals rounded to the column scales (8; the
 * percentage 4).
 */
export interface SnapshotRepository {
  /** Validates and stores `snapshots`; returns them as stored. */
  insertBatch(snapshots: readonly MarketSnapshotInput[]): Promise<MarketSnapshot[]>;

  /** The snapshot of `symbol` with the greatest timestamp (ties: greatest id), or `undefined`. */
  latest(symbol: string): Promise<MarketSnapshot | undefined>;

  /** {@link latest} for every symbol that has snapshots, ordered by symbol. */
  latestAll(): Promise<MarketSnapshot[]>;

  /** The snapshots matching `query`, ordered and paged as it says. Throws a `ValidationError` for a bad query. */
  query(query?: SnapshotQuery): Promise<MarketSnapshot[]>;

  /** Deletes every snapshot with `timestamp < cutoff` (retention); returns how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** A {@link SnapshotQuery} after {@link checkSnapshotQuery}: every default applied. */
export interface CheckedSnapshotQuery extends Page {
  readonly symbol: string | undefined;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly order: SortOrder;
}

/**
 * Checks a {@link SnapshotQuery} and applies its defaults (`order` `desc`, `offset` 0, no
 * limit); throws a `ValidationError` like `checkPriceFeedQuery`.
 */
export function checkSnapshotQuery(query: SnapshotQuery = {}): CheckedSnapshotQuery {
  if (typeof query !== "object" || query === null) {
    throw new ValidationError("query", "must be an object", query);
  }
  return {
    symbol: query.symbol === undefined ? undefined : validateSymbol(query.symbol),
    from: checkOptionalDate("from", query.from),
    to: checkOptionalDate("to", query.to),
    ...checkPage(query.limit, query.offset),
    order: checkOrder(query.order, "desc"),
  };
}
