import type { MarketSnapshot, MarketSnapshotInput } from "../model/market-snapshot.js";
import { validateSymbol } from "../model/market-symbol.js";
import {
  type CheckedTimeRange,
  checkTimeRangeQuery,
  type TimeRangeQuery,
} from "./time-range-query.js";

/**
 * Which snapshots {@link SnapshotRepository.query} returns: absent fields do not filter. Time
 * ranges are half-open: `from` inclusive, `to` exclusive.
 */
export interface SnapshotQuery extends TimeRangeQuery {
  readonly symbol?: string;
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
export interface CheckedSnapshotQuery extends CheckedTimeRange {
  readonly symbol: string | undefined;
}

/**
 * Checks a {@link SnapshotQuery} and applies its defaults (`order` `desc`, `offset` 0, no
 * limit); throws a `ValidationError` like `checkPriceFeedQuery`.
 */
export function checkSnapshotQuery(query: SnapshotQuery = {}): CheckedSnapshotQuery {
  return checkTimeRangeQuery(query, (q) => ({
    symbol: q.symbol === undefined ? undefined : validateSymbol(q.symbol),
  }));
}
