import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import { validateSymbol } from "../model/market-symbol.js";
import { type PriceFeed, type PriceFeedInput, validatePriceFeed } from "../model/price-feed.js";
import { checkDate, type Metadata, validateBatch } from "../model/validation-error.js";
import {
  checkPriceFeedQuery,
  type PriceFeedQuery,
  type PriceFeedRepository,
} from "../repositories/price-feed-repository.js";
import { COPY_THRESHOLD_ROWS, copyRows, copyText } from "./copy-rows.js";
import {
  arrayLiteral,
  DEFAULT_ROWS_PER_STATEMENT,
  metadataArrayLiteral,
  metadataJson,
  quotedArrayLiteral,
  toDate,
  toNumber,
  writeInChunks,
} from "./write-chunks.js";

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

const COLUMNS = `feed_id, symbol, price, bid, ask, volume_24h, source, "timestamp", metadata`;

/**
 * The {@link PriceFeedRepository} on Postgres (postgres.js), in the instance schema's
 * `price_feeds`. Rows carry their ids, so writing one twice is a no-op (a retried batch that had
 * in fact committed is not duplicated):
 * - small batches: `insert … select from unnest($1::uuid[], …) on conflict (feed_id) do nothing`,
 *   whose text never depends on the batch size, so it is prepared once per connection;
 * - batches of at least `COPY_THRESHOLD_ROWS`: `COPY` in a transaction (Postgres' bulk insert
 *   path, about twice as fast) after one query checked that none of the ids is stored (a
 *   retried batch may be; then that statement writes it instead).
 */
export class PostgresPriceFeedRepository implements PriceFeedRepository {
  private readonly insertText: string;
  private readonly latestText: string;
  private readonly anyStoredText: string;
  private readonly latestAllText: string;
  private readonly deleteText: string;
  private readonly table: string;
  private readonly rowsPerStatement: number;

  constructor(
    private readonly sql: postgres.Sql,
    options: PostgresPriceFeedRepositoryOptions,
  ) {
    const table = qualifiedName(options.schema, "price_feeds");
    this.table = table;
    this.rowsPerStatement = options.rowsPerStatement ?? DEFAULT_ROWS_PER_STATEMENT;
    this.insertText = `insert into ${table} (${COLUMNS})
      select t.feed_id, t.symbol, t.price, t.bid, t.ask, t.volume_24h, t.source, t.ts,
             t.metadata
      from unnest($1::uuid[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[],
                  $6::numeric[], $7::text[], $8::timestamptz[], $9::jsonb[])
        as t(feed_id, symbol, price, bid, ask, volume_24h, source, ts, metadata)
      on conflict (feed_id) do nothing`;
    // One primary-key probe per id (a plain "= any($1)" may be planned as a sequential scan).
    this.anyStoredText = `select 1 from unnest($1::uuid[]) as i(id)
      where exists (select 1 from ${table} t where t.feed_id = i.id) limit 1`;
    this.latestText = `select ${COLUMNS} from ${table} where symbol = $1
      order by "timestamp" desc, feed_id desc limit 1`;
    // A loose index scan: one index probe per symbol instead of reading every row.
    this.latestAllText = `with recursive symbols(symbol) as (
        select min(symbol) from ${table}
        union all
        select (select min(f.symbol) from ${table} f where f.symbol > s.symbol)
        from symbols s where s.symbol is not null
      )
      select latest.* from symbols s cross join lateral (
        select ${COLUMNS} from ${table} f where f.symbol = s.symbol
        order by "timestamp" desc, feed_id desc limit 1
      ) latest`;
    this.deleteText = `delete from ${table} where "timestamp" < $1`;
  }

  async insertBatch(feeds: readonly PriceFeedInput[]): Promise<PriceFeed[]> {
    const valid = validateBatch("feeds", feeds, validatePriceFeed);
    if (valid.length < COPY_THRESHOLD_ROWS) {
      await writeInChunks(this.sql, valid, this.rowsPerStatement, (sql, chunk) =>
        this.insertChunk(sql, chunk),
      );
    } else {
      await this.sql.begin(async (tx) => {
        const stored = await tx.unsafe(
          this.anyStoredText,
          [arrayLiteral(valid.map((row) => row.feedId))],
          {
            prepare: true,
          },
        );
        if (stored.length === 0) {
          await copyRows(tx, this.table, COLUMNS, valid, feedCopyLine);
          return;
        }
        for (let start = 0; start < valid.length; start += this.rowsPerStatement) {
          await this.insertChunk(tx, valid.slice(start, start + this.rowsPerStatement));
        }
      });
    }
    return valid;
  }

  private async insertChunk(
    sql: postgres.Sql | postgres.TransactionSql,
    chunk: readonly PriceFeed[],
  ): Promise<number> {
    const result = await sql.unsafe(
      this.insertText,
      [
        arrayLiteral(chunk.map((f) => f.feedId)),
        arrayLiteral(chunk.map((f) => f.symbol)),
        arrayLiteral(chunk.map((f) => f.price)),
        arrayLiteral(chunk.map((f) => f.bid)),
        arrayLiteral(chunk.map((f) => f.ask)),
        arrayLiteral(chunk.map((f) => f.volume24h)),
        quotedArrayLiteral(chunk.map((f) => f.source)),
        arrayLiteral(chunk.map((f) => f.timestamp.toISOString())),
        metadataArrayLiteral(chunk),
      ],
      { prepare: true },
    );
    return result.count;
  }

  async latest(symbol: string): Promise<PriceFeed | undefined> {
    const rows = await this.sql.unsafe<PriceFeedRow[]>(this.latestText, [validateSymbol(symbol)], {
      prepare: true,
    });
    const row = rows[0];
    return row === undefined ? undefined : fromRow(row);
  }

  async latestAll(): Promise<PriceFeed[]> {
    const rows = await this.sql.unsafe<PriceFeedRow[]>(this.latestAllText, [], { prepare: true });
    return rows
      .map(fromRow)
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  async query(query: PriceFeedQuery = {}): Promise<PriceFeed[]> {
    const q = checkPriceFeedQuery(query);
    const where: string[] = [];
    const params: (string | Date | number | null)[] = [];
    const add = (condition: (placeholder: string) => string, value: string | Date) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (q.symbol !== undefined) add((p) => `symbol = ${p}`, q.symbol);
    if (q.source !== undefined) add((p) => `source = ${p}`, q.source);
    if (q.from !== undefined) add((p) => `"timestamp" >= ${p}`, q.from);
    if (q.to !== undefined) add((p) => `"timestamp" < ${p}`, q.to);
    params.push(q.limit ?? null, q.offset);
    const direction = q.order === "asc" ? "asc" : "desc";
    // Only a handful of distinct texts exist (filters present × order), each prepared once.
    const text = `select ${COLUMNS} from ${this.table}
      ${where.length > 0 ? `where ${where.join(" and ")}` : ""}
      order by "timestamp" ${direction}, feed_id ${direction}
      limit $${params.length - 1}::bigint offset $${params.length}::bigint`;
    const rows = await this.sql.unsafe<PriceFeedRow[]>(text, params, { prepare: true });
    return rows.map(fromRow);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.sql.unsafe(this.deleteText, [checkDate("cutoff", cutoff)], {
      prepare: true,
    });
    return result.count;
  }
}

function feedCopyLine(f: PriceFeed): string {
  return `${f.feedId}\t${f.symbol}\t${f.price}\t${f.bid}\t${f.ask}\t${f.volume24h}\t${copyText(f.source)}\t${f.timestamp.toISOString()}\t${copyText(metadataJson(f.metadata))}\n`;
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
