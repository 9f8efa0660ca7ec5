import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import {
  type MarketSnapshot,
  type MarketSnapshotInput,
  validateMarketSnapshot,
} from "../model/market-snapshot.js";
import { validateSymbol } from "../model/market-symbol.js";
import { checkDate, type Metadata, validateBatch } from "../model/validation-error.js";
import {
  checkSnapshotQuery,
  type SnapshotQuery,
  type SnapshotRepository,
} from "../repositories/snapshot-repository.js";
import { COPY_THRESHOLD_ROWS, copyRows, copyText } from "./copy-rows.js";
import {
  arrayLiteral,
  DEFAULT_ROWS_PER_STATEMENT,
  metadataArrayLiteral,
  metadataJson,
  toDate,
  toNumber,
  writeInChunks,
} from "./write-chunks.js";

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

const COLUMNS = `snapshot_id, symbol, last_price, bid, ask, spread, volume_24h, price_change_24h,
  price_change_percent_24h, "timestamp", metadata`;

/**
 * The {@link SnapshotRepository} on Postgres (postgres.js), in the instance schema's
 * `market_snapshots`. Rows carry their ids, so writing one twice is a no-op (a retried batch that had
 * in fact committed is not duplicated):
 * - small batches: `insert … select from unnest($1::uuid[], …) on conflict (snapshot_id) do nothing`,
 *   whose text never depends on the batch size, so it is prepared once per connection;
 * - batches of at least `COPY_THRESHOLD_ROWS`: `COPY` in a transaction (Postgres' bulk insert
 *   path, about twice as fast) after one query checked that none of the ids is stored (a
 *   retried batch may be; then that statement writes it instead).
 */
export class PostgresSnapshotRepository implements SnapshotRepository {
  private readonly insertText: string;
  private readonly latestText: string;
  private readonly anyStoredText: string;
  private readonly latestAllText: string;
  private readonly deleteText: string;
  private readonly table: string;
  private readonly rowsPerStatement: number;

  constructor(
    private readonly sql: postgres.Sql,
    options: PostgresSnapshotRepositoryOptions,
  ) {
    const table = qualifiedName(options.schema, "market_snapshots");
    this.table = table;
    this.rowsPerStatement = options.rowsPerStatement ?? DEFAULT_ROWS_PER_STATEMENT;
    this.insertText = `insert into ${table} (${COLUMNS})
      select t.snapshot_id, t.symbol, t.last_price, t.bid, t.ask, t.spread, t.volume_24h,
             t.price_change_24h, t.price_change_percent_24h, t.ts, t.metadata
      from unnest($1::uuid[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[],
                  $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[],
                  $10::timestamptz[], $11::jsonb[])
        as t(snapshot_id, symbol, last_price, bid, ask, spread, volume_24h, price_change_24h,
             price_change_percent_24h, ts, metadata)
      on conflict (snapshot_id) do nothing`;
    // One primary-key probe per id (a plain "= any($1)" may be planned as a sequential scan).
    this.anyStoredText = `select 1 from unnest($1::uuid[]) as i(id)
      where exists (select 1 from ${table} t where t.snapshot_id = i.id) limit 1`;
    this.latestText = `select ${COLUMNS} from ${table} where symbol = $1
      order by "timestamp" desc, snapshot_id desc limit 1`;
    // A loose index scan: one index probe per symbol instead of reading every row.
    this.latestAllText = `with recursive symbols(symbol) as (
        select min(symbol) from ${table}
        union all
        select (select min(f.symbol) from ${table} f where f.symbol > s.symbol)
        from symbols s where s.symbol is not null
      )
      select latest.* from symbols s cross join lateral (
        select ${COLUMNS} from ${table} f where f.symbol = s.symbol
        order by "timestamp" desc, snapshot_id desc limit 1
      ) latest`;
    this.deleteText = `delete from ${table} where "timestamp" < $1`;
  }

  async insertBatch(snapshots: readonly MarketSnapshotInput[]): Promise<MarketSnapshot[]> {
    const valid = validateBatch("snapshots", snapshots, validateMarketSnapshot);
    if (valid.length < COPY_THRESHOLD_ROWS) {
      await writeInChunks(this.sql, valid, this.rowsPerStatement, (sql, chunk) =>
        this.insertChunk(sql, chunk),
      );
    } else {
      await this.sql.begin(async (tx) => {
        const stored = await tx.unsafe(
          this.anyStoredText,
          [arrayLiteral(valid.map((row) => row.snapshotId))],
          {
            prepare: true,
          },
        );
        if (stored.length === 0) {
          await copyRows(tx, this.table, COLUMNS, valid, snapshotCopyLine);
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
    chunk: readonly MarketSnapshot[],
  ): Promise<number> {
    const result = await sql.unsafe(
      this.insertText,
      [
        arrayLiteral(chunk.map((s) => s.snapshotId)),
        arrayLiteral(chunk.map((s) => s.symbol)),
        arrayLiteral(chunk.map((s) => s.lastPrice)),
        arrayLiteral(chunk.map((s) => s.bid)),
        arrayLiteral(chunk.map((s) => s.ask)),
        arrayLiteral(chunk.map((s) => s.spread)),
        arrayLiteral(chunk.map((s) => s.volume24h)),
        arrayLiteral(chunk.map((s) => s.priceChange24h)),
        arrayLiteral(chunk.map((s) => s.priceChangePercent24h)),
        arrayLiteral(chunk.map((s) => s.timestamp.toISOString())),
        metadataArrayLiteral(chunk),
      ],
      { prepare: true },
    );
    return result.count;
  }

  async latest(symbol: string): Promise<MarketSnapshot | undefined> {
    const rows = await this.sql.unsafe<SnapshotRow[]>(this.latestText, [validateSymbol(symbol)], {
      prepare: true,
    });
    const row = rows[0];
    return row === undefined ? undefined : fromRow(row);
  }

  async latestAll(): Promise<MarketSnapshot[]> {
    const rows = await this.sql.unsafe<SnapshotRow[]>(this.latestAllText, [], { prepare: true });
    return rows
      .map(fromRow)
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  async query(query: SnapshotQuery = {}): Promise<MarketSnapshot[]> {
    const q = checkSnapshotQuery(query);
    const where: string[] = [];
    const params: (string | Date | number | null)[] = [];
    const add = (condition: (placeholder: string) => string, value: string | Date) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (q.symbol !== undefined) add((p) => `symbol = ${p}`, q.symbol);
    if (q.from !== undefined) add((p) => `"timestamp" >= ${p}`, q.from);
    if (q.to !== undefined) add((p) => `"timestamp" < ${p}`, q.to);
    params.push(q.limit ?? null, q.offset);
    const direction = q.order === "asc" ? "asc" : "desc";
    // Only a handful of distinct texts exist (filters present × order), each prepared once.
    const text = `select ${COLUMNS} from ${this.table}
      ${where.length > 0 ? `where ${where.join(" and ")}` : ""}
      order by "timestamp" ${direction}, snapshot_id ${direction}
      limit $${params.length - 1}::bigint offset $${params.length}::bigint`;
    const rows = await this.sql.unsafe<SnapshotRow[]>(text, params, { prepare: true });
    return rows.map(fromRow);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.sql.unsafe(this.deleteText, [checkDate("cutoff", cutoff)], {
      prepare: true,
    });
    return result.count;
  }
}

function snapshotCopyLine(s: MarketSnapshot): string {
  return `${s.snapshotId}\t${s.symbol}\t${s.lastPrice}\t${s.bid}\t${s.ask}\t${s.spread}\t${s.volume24h}\t${s.priceChange24h}\t${s.priceChangePercent24h}\t${s.timestamp.toISOString()}\t${copyText(metadataJson(s.metadata))}\n`;
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
