import { type Metadata, validateBatch } from "@tse/field-checks";
import type postgres from "postgres";
import { type PriceFeed, type PriceFeedInput, validatePriceFeed } from "../model/price-feed.js";
import {
  checkPriceFeedQuery,
  type PriceFeedQuery,
  type PriceFeedRepository,
} from "../repositories/price-feed-repository.js";
import type { ColumnSpec } from "./column-spec.js";
import { SymbolTimeSeriesTable } from "./symbol-time-series-table.js";
import { metadataJson, toDate, toNumber } from "./write-chunks.js";

/** Options of {@link PostgresPriceFeedRepository}. */
export interface PostgresPriceFeedRepositoryOptions {
  /** The instance schema (unquoted) holding `price_feeds`; migrated already. */
  readonly schema: string;
  /** Rows per insert statement; bigger batches are split, in one transaction. */
  readonly rowsPerStatement?: number;
}

interface PriceFeedRow {
  feed_id: string;
  symbol: string;
  price: string;
  bid: string;
  ask: string;
  volume_24h: string;
  source: string;
  timestamp: Date;
  metadata: Metadata;
}

const COLUMNS: readonly ColumnSpec<PriceFeed>[] = [
  { name: "feed_id", type: "uuid", value: (f) => f.feedId },
  { name: "symbol", type: "text", value: (f) => f.symbol },
  { name: "price", type: "numeric", value: (f) => f.price },
  { name: "bid", type: "numeric", value: (f) => f.bid },
  { name: "ask", type: "numeric", value: (f) => f.ask },
  { name: "volume_24h", type: "numeric", value: (f) => f.volume24h },
  { name: "source", type: "text", value: (f) => f.source, freeText: true },
  { name: `"timestamp"`, type: "timestamptz", value: (f) => f.timestamp.toISOString() },
  { name: "metadata", type: "jsonb", value: (f) => metadataJson(f.metadata), freeText: true },
];

/**
 * The {@link PriceFeedRepository} on Postgres (postgres.js), in the instance schema's
 * `price_feeds`: validation here, storage by {@link SymbolTimeSeriesTable} (ids assigned at
 * validation, so a retried batch is not stored twice; COPY for big batches).
 */
export class PostgresPriceFeedRepository implements PriceFeedRepository {
  readonly #table: SymbolTimeSeriesTable<PriceFeed, PriceFeedRow>;

  constructor(sql: postgres.Sql, options: PostgresPriceFeedRepositoryOptions) {
    this.#table = new SymbolTimeSeriesTable(sql, {
      schema: options.schema,
      table: "price_feeds",
      idColumn: "feed_id",
      columns: COLUMNS,
      fromRow,
      ...(options.rowsPerStatement === undefined
        ? {}
        : { rowsPerStatement: options.rowsPerStatement }),
    });
  }

  async insertBatch(feeds: readonly PriceFeedInput[]): Promise<PriceFeed[]> {
    const valid = validateBatch("feeds", feeds, validatePriceFeed);
    await this.#table.insertOnce(valid);
    return valid;
  }

  latest(symbol: string): Promise<PriceFeed | undefined> {
    return this.#table.latest(symbol);
  }

  latestAll(): Promise<PriceFeed[]> {
    return this.#table.latestAll();
  }

  async query(query: PriceFeedQuery = {}): Promise<PriceFeed[]> {
    const q = checkPriceFeedQuery(query);
    return this.#table.query(
      [
        ["symbol", q.symbol],
        ["source", q.source],
      ],
      q,
    );
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.#table.deleteOlderThan(cutoff);
  }
}

function fromRow(row: PriceFeedRow): PriceFeed {
  return {
    feedId: row.feed_id,
    symbol: row.symbol,
    price: toNumber(row.price),
    bid: toNumber(row.bid),
    ask: toNumber(row.ask),
    volume24h: toNumber(row.volume_24h),
    source: row.source,
    timestamp: toDate(row.timestamp),
    metadata: row.metadata,
  };
}
