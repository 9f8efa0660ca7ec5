import { checkDate, validateBatch } from "@tse/field-checks";
import {
  type MarketSnapshot,
  type MarketSnapshotInput,
  validateMarketSnapshot,
} from "../model/market-snapshot.js";
import { validateSymbol } from "../model/market-symbol.js";
import {
  checkSnapshotQuery,
  type SnapshotQuery,
  type SnapshotRepository,
} from "../repositories/snapshot-repository.js";
import { selectTimeRange } from "./time-range-filter.js";

/**
 * A {@link SnapshotRepository} in process memory, for tests and for running without Postgres.
 * Behaves like the Postgres one (same contract suite); unbounded except by `deleteOlderThan`.
 */
export class MemorySnapshotRepository implements SnapshotRepository {
  private readonly byId = new Map<string, MarketSnapshot>();

  async insertBatch(snapshots: readonly MarketSnapshotInput[]): Promise<MarketSnapshot[]> {
    const valid = validateBatch("snapshots", snapshots, validateMarketSnapshot);
    for (const snapshot of valid) {
      if (!this.byId.has(snapshot.snapshotId)) this.byId.set(snapshot.snapshotId, snapshot);
    }
    return valid.map(copy);
  }

  async latest(symbol: string): Promise<MarketSnapshot | undefined> {
    validateSymbol(symbol);
    let best: MarketSnapshot | undefined;
    for (const snapshot of this.byId.values()) {
      if (
        snapshot.symbol === symbol &&
        (best === undefined || compareSnapshots(snapshot, best) > 0)
      )
        best = snapshot;
    }
    return best === undefined ? undefined : copy(best);
  }

  async latestAll(): Promise<MarketSnapshot[]> {
    const best = new Map<string, MarketSnapshot>();
    for (const snapshot of this.byId.values()) {
      const current = best.get(snapshot.symbol);
      if (current === undefined || compareSnapshots(snapshot, current) > 0)
        best.set(snapshot.symbol, snapshot);
    }
    return [...best.values()].sort((a, b) => compareCodeUnits(a.symbol, b.symbol)).map(copy);
  }

  async query(query: SnapshotQuery = {}): Promise<MarketSnapshot[]> {
    const q = checkSnapshotQuery(query);
    return selectTimeRange(
      this.byId.values(),
      q,
      (s) => q.symbol === undefined || s.symbol === q.symbol,
      compareSnapshots,
    ).map(copy);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const limit = checkDate("cutoff", cutoff).getTime();
    let deleted = 0;
    for (const [id, snapshot] of this.byId) {
      if (snapshot.timestamp.getTime() < limit) {
        this.byId.delete(id);
        deleted++;
      }
    }
    return deleted;
  }
}

/** Time order, ties broken by id: the order `timestamp, snapshot_id` gives in Postgres. */
function compareSnapshots(a: MarketSnapshot, b: MarketSnapshot): number {
  return (
    a.timestamp.getTime() - b.timestamp.getTime() || compareCodeUnits(a.snapshotId, b.snapshotId)
  );
}

/** Code-unit order; for lower-case UUIDs and ASCII symbols it is Postgres' uuid / `collate "C"` order. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copy(snapshot: MarketSnapshot): MarketSnapshot {
  return structuredClone(snapshot);
}
