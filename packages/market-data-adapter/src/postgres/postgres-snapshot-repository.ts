import { type Metadata, validateBatch } from "@tse/field-checks";
import type postgres from "postgres";
import {
  type MarketSnapshot,
  type MarketSnapshotInput,
  validateMarketSnapshot,
} from "../model/market-snapshot.js";
import {
  checkSnapshotQuery,
  type SnapshotQuery,
  type SnapshotRepository,
} from "../repositories/snapshot-repository.js";
import type { ColumnSpec } from "./column-spec.js";
import { SymbolTimeSeriesTable } from "./symbol-time-series-table.js";
import { metadataJson, toDate, toNumber } from "./write-chunks.js";

/** Options of {@link PostgresSnapshotRepository}. */
export interface PostgresSnapshotRepositoryOptions {
  /** The instance schema (unquoted) holding `market_snapshots`; migrated already. */
  readonly schema: string;
  /** Rows per insert statement; bigger batches are split, in one transaction. */
  readonly rowsPerStatement?: number;
}

interface SnapshotRow {
  snapshot_id: string;
  symbol: string;
  last_price: string;
  bid: string;
  ask: string;
  spread: string;
  volume_24h: string;
  price_change_24h: string;
  price_change_percent_24h: string;
  timestamp: Date;
  metadata: Metadata;
}

const COLUMNS: readonly ColumnSpec<MarketSnapshot>[] = [
  { name: "snapshot_id", type: "uuid", value: (s) => s.snapshotId },
  { name: "symbol", type: "text", value: (s) => s.symbol },
  { name: "last_price", type: "numeric", value: (s) => s.lastPrice },
  { name: "bid", type: "numeric", value: (s) => s.bid },
  { name: "ask", type: "numeric", value: (s) => s.ask },
  { name: "spread", type: "numeric", value: (s) => s.spread },
  { name: "volume_24h", type: "numeric", value: (s) => s.volume24h },
  { name: "price_change_24h", type: "numeric", value: (s) => s.priceChange24h },
  { name: "price_change_percent_24h", type: "numeric", value: (s) => s.priceChangePercent24h },
  { name: `"timestamp"`, type: "timestamptz", value: (s) => s.timestamp.toISOString() },
  { name: "metadata", type: "jsonb", value: (s) => metadataJson(s.metadata), freeText: true },
];

/**
 * The {@link SnapshotRepository} on Postgres (postgres.js), in the instance schema's
 * `market_snapshots`: validation here, storage by {@link SymbolTimeSeriesTable} (ids assigned
 * at validation, so a retried batch is not stored twice; COPY for big batches).
 */
export class PostgresSnapshotRepository implements SnapshotRepository {
  readonly #table: SymbolTimeSeriesTable<MarketSnapshot, SnapshotRow>;

  constructor(sql: postgres.Sql, options: PostgresSnapshotRepositoryOptions) {
    this.#table = new SymbolTimeSeriesTable(sql, {
      schema: options.schema,
      table: "market_snapshots",
      idColumn: "snapshot_id",
      columns: COLUMNS,
      fromRow,
      ...(options.rowsPerStatement === undefined
        ? {}
        : { rowsPerStatement: options.rowsPerStatement }),
    });
  }

  async insertBatch(snapshots: readonly MarketSnapshotInput[]): Promise<MarketSnapshot[]> {
    const valid = validateBatch("snapshots", snapshots, validateMarketSnapshot);
    await this.#table.insertOnce(valid);
    return valid;
  }

  latest(symbol: string): Promise<MarketSnapshot | undefined> {
    return this.#table.latest(symbol);
  }

  latestAll(): Promise<MarketSnapshot[]> {
    return this.#table.latestAll();
  }

  async query(query: SnapshotQuery = {}): Promise<MarketSnapshot[]> {
    const q = checkSnapshotQuery(query);
    return this.#table.query([["symbol", q.symbol]], q);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.#table.deleteOlderThan(cutoff);
  }
}

function fromRow(row: SnapshotRow): MarketSnapshot {
  return {
    snapshotId: row.snapshot_id,
    symbol: row.symbol,
    lastPrice: toNumber(row.last_price),
    bid: toNumber(row.bid),
    ask: toNumber(row.ask),
    spread: toNumber(row.spread),
    volume24h: toNumber(row.volume_24h),
    priceChange24h: toNumber(row.price_change_24h),
    priceChangePercent24h: toNumber(row.price_change_percent_24h),
    timestamp: toDate(row.timestamp),
    metadata: row.metadata,
  };
}
