import { type Metadata, validateBatch } from "@tse/field-checks";
import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import {
  type Candle,
  type CandleInput,
  compareCandleSeries,
  lastCandlePerKey,
  validateCandle,
} from "../model/candle.js";
import { type CandleInterval, validateCandleInterval } from "../model/candle-interval.js";
import { CandleSeriesMap } from "../model/candle-series-map.js";
import { validateSymbol } from "../model/market-symbol.js";
import {
  type CandleQuery,
  type CandleRepository,
  checkCandleQuery,
} from "../repositories/candle-repository.js";
import {
  type ColumnSpec,
  columnList,
  copyLine,
  unnestInsert,
  unnestParameters,
} from "./column-spec.js";
import { COPY_DEADLINE_MS, COPY_THRESHOLD_ROWS, copyRows, copyUnlessStored } from "./copy-rows.js";
import {
  arrayLiteral,
  DEFAULT_ROWS_PER_STATEMENT,
  forEachChunk,
  metadataJson,
  toDate,
  toNumber,
  writeInChunks,
} from "./write-chunks.js";

/** Options of {@link PostgresCandleRepository}. */
export interface PostgresCandleRepositoryOptions {
  /** The instance schema (unquoted) holding `candles`; migrated already. */
  readonly schema: string;
  /** Rows per upsert statement; bigger batches are split, in one transaction. */
  readonly rowsPerStatement?: number;
  /** How long one COPY may take before the batch fails (default `COPY_DEADLINE_MS`). */
  readonly copyDeadlineMs?: number;
}

interface CandleRow {
  symbol: string;
  interval: CandleInterval;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  start_time: Date;
  end_time: Date;
  num_trades: string;
  metadata: Metadata;
}

const SPECS: readonly ColumnSpec<Candle>[] = [
  { name: "symbol", type: "text", value: (c) => c.symbol },
  { name: `"interval"`, type: "text", value: (c) => c.interval },
  { name: "open", type: "numeric", value: (c) => c.open },
  { name: "high", type: "numeric", value: (c) => c.high },
  { name: "low", type: "numeric", value: (c) => c.low },
  { name: "close", type: "numeric", value: (c) => c.close },
  { name: "volume", type: "numeric", value: (c) => c.volume },
  { name: "start_time", type: "timestamptz", value: (c) => c.startTime.toISOString() },
  { name: "end_time", type: "timestamptz", value: (c) => c.endTime.toISOString() },
  { name: "num_trades", type: "bigint", value: (c) => c.numTrades },
  { name: "metadata", type: "jsonb", value: (c) => metadataJson(c.metadata), freeText: true },
];

const COLUMNS = columnList(SPECS);

/**
 * The {@link CandleRepository} on Postgres (postgres.js), in the instance schema's `candles`.
 *
 * Two write paths, one result:
 * - Upserts: `insert … select from unnest($1::text[], $3::numeric[], …) on conflict (symbol,
 *   interval, start_time) do update` replacing every value. The statement text never depends on
 *   the batch size (arrays are parameters), so it is prepared once per connection.
 * - Bulk inserts: a batch with at least `COPY_THRESHOLD_ROWS` candles newer than anything this
 *   repository wrote for their series (a backfill, a flush after an outage) goes by `COPY` in
 *   one statement, about twice as fast, after one query checked that none of them is stored
 *   yet (after a restart some may be; then the whole batch is upserted); see
 *   `copyUnlessStored`. Mixed with re-written candles, COPY and upserts share a transaction.
 */
export class PostgresCandleRepository implements CandleRepository {
  private readonly upsertText: string;
  private readonly latestText: string;
  private readonly anyStoredText: string;
  private readonly latestAllText: string;
  private readonly table: string;
  private readonly rowsPerStatement: number;
  private readonly copyDeadlineMs: number;
  /**
   * The latest start time this repository wrote per series (symbol + interval). Candles after it
   * are new to the table as far as this process knows, and go by COPY; the rest are upserts.
   */
  private readonly lastWrittenStart = new CandleSeriesMap<number>();

  constructor(
    private readonly sql: postgres.Sql,
    options: PostgresCandleRepositoryOptions,
  ) {
    const table = qualifiedName(options.schema, "candles");
    this.table = table;
    this.rowsPerStatement = options.rowsPerStatement ?? DEFAULT_ROWS_PER_STATEMENT;
    this.copyDeadlineMs = options.copyDeadlineMs ?? COPY_DEADLINE_MS;
    this.upsertText = `${unnestInsert(table, SPECS)}
      on conflict (symbol, "interval", start_time) do update set
        open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
        volume = excluded.volume, end_time = excluded.end_time,
        num_trades = excluded.num_trades, metadata = excluded.metadata`;
    this.anyStoredText = `select 1 from unnest($1::text[], $2::text[], $3::timestamptz[])
        as s(symbol, interval, first_start)
      where exists (select 1 from ${table} c where c.symbol = s.symbol
        and c."interval" = s.interval and c.start_time >= s.first_start)
      limit 1`;
    this.latestText = `select ${COLUMNS} from ${table}
      where symbol = $1 and "interval" = $2 order by start_time desc limit 1`;
    this.latestAllText = `select distinct on (symbol, "interval") ${COLUMNS} from ${table}
      order by symbol, "interval", start_time desc`;
  }

  async upsertBatch(candles: readonly CandleInput[]): Promise<number> {
    const valid = lastCandlePerKey(validateBatch("candles", candles, validateCandle));
    const { fresh, rewritten, series } = this.splitByLastWritten(valid);
    const upsertAll = (sql: postgres.Sql | postgres.TransactionSql, rows: readonly Candle[]) =>
      forEachChunk(rows, this.rowsPerStatement, (chunk) => this.upsertChunk(sql, chunk));
    const copyFresh = (sql: postgres.Sql | postgres.TransactionSql) =>
      copyRows(sql, this.table, COLUMNS, fresh, (c) => copyLine(SPECS, c), this.copyDeadlineMs);
    if (fresh.length < COPY_THRESHOLD_ROWS) {
      await writeInChunks(this.sql, valid, this.rowsPerStatement, (sql, chunk) =>
        this.upsertChunk(sql, chunk),
      );
    } else if (rewritten.length === 0) {
      await copyUnlessStored(
        () => this.anyStoredFrom(this.sql, series),
        () => copyFresh(this.sql),
        () => this.sql.begin((tx) => upsertAll(tx, valid)).then(() => undefined),
      );
    } else {
      // New and re-written candles together: COPY and upserts in one transaction.
      await this.sql.begin(async (tx) => {
        if (await this.anyStoredFrom(tx, series)) {
          await upsertAll(tx, valid);
        } else {
          await copyFresh(tx);
          await upsertAll(tx, rewritten);
        }
      });
    }
    for (const written of series) {
      if (written.lastStart > written.lastWrittenBefore) {
        this.lastWrittenStart.set(written, written.lastStart);
      }
    }
    return valid.length;
  }

  /**
   * Splits `candles` into those starting after anything this repository wrote for their series
   * (`fresh`) and the rest, and sums up each series of the batch — in one pass with one series
   * lookup per candle, since batches run to hundreds of thousands of candles.
   */
  private splitByLastWritten(candles: readonly Candle[]): {
    fresh: Candle[];
    rewritten: Candle[];
    series: BatchSeries[];
  } {
    const fresh: Candle[] = [];
    const rewritten: Candle[] = [];
    const bySeries = new CandleSeriesMap<BatchSeries>();
    for (const candle of candles) {
      let known = bySeries.get(candle);
      if (known === undefined) {
        known = new BatchSeries(candle, this.lastWrittenStart.get(candle));
        bySeries.set(candle, known);
      }
      const start = candle.startTime.getTime();
      if (start > known.lastWrittenBefore) {
        fresh.push(candle);
        if (start < known.firstFreshStart) known.firstFreshStart = start;
      } else {
        rewritten.push(candle);
      }
      if (start > known.lastStart) known.lastStart = start;
    }
    return { fresh, rewritten, series: [...bySeries.values()] };
  }

  /**
   * Whether the table holds any candle of a series with fresh candles in `series`, starting at
   * or after the earliest of them: one index range probe per series (planned afresh each time,
   * see below). When none does, COPY cannot collide (barring a concurrent writer of the same
   * instance, which the COPY deadline and the caller's retry absorb).
   */
  private async anyStoredFrom(
    sql: postgres.Sql | postgres.TransactionSql,
    series: readonly BatchSeries[],
  ): Promise<boolean> {
    const withFresh = series.filter((s) => s.firstFreshStart !== Number.POSITIVE_INFINITY);
    const rows = await sql.unsafe(
      this.anyStoredText,
      [
        arrayLiteral(withFresh.map((s) => s.symbol)),
        arrayLiteral(withFresh.map((s) => s.interval)),
        arrayLiteral(withFresh.map((s) => new Date(s.firstFreshStart).toISOString())),
      ],
      // Planned on every call, for the table as it is then: a plan cached while the table was
      // empty (a fresh instance, the first batches of a backfill) is a sequential scan that
      // would read the whole table on every later check.
      { prepare: false },
    );
    return rows.length > 0;
  }

  private async upsertChunk(
    sql: postgres.Sql | postgres.TransactionSql,
    chunk: readonly Candle[],
  ): Promise<number> {
    const result = await sql.unsafe(this.upsertText, unnestParameters(SPECS, chunk), {
      prepare: true,
    });
    return result.count;
  }

  async latest(symbol: string, interval: CandleInterval): Promise<Candle | undefined> {
    const rows = await this.sql.unsafe<CandleRow[]>(
      this.latestText,
      [validateSymbol(symbol), validateCandleInterval(interval)],
      { prepare: true },
    );
    const row = rows[0];
    return row === undefined ? undefined : fromRow(row);
  }

  async query(query: CandleQuery): Promise<Candle[]> {
    const q = checkCandleQuery(query);
    const where = [`symbol = $1`, `"interval" = $2`];
    const params: (string | Date | number | null)[] = [q.symbol, q.interval];
    if (q.from !== undefined) {
      params.push(q.from);
      where.push(`start_time >= $${params.length}`);
    }
    if (q.to !== undefined) {
      params.push(q.to);
      where.push(`start_time < $${params.length}`);
    }
    params.push(q.limit ?? null, q.offset);
    // Only a handful of distinct texts exist (bounds present × order), each prepared once.
    const text = `select ${COLUMNS} from ${this.table} where ${where.join(" and ")}
      order by start_time ${q.order === "asc" ? "asc" : "desc"}
      limit $${params.length - 1}::bigint offset $${params.length}::bigint`;
    const rows = await this.sql.unsafe<CandleRow[]>(text, params, { prepare: true });
    return rows.map(fromRow);
  }

  lastPersisted(symbol: string, interval: CandleInterval): Promise<Candle | undefined> {
    return this.latest(symbol, interval);
  }

  async lastPersistedAll(): Promise<Candle[]> {
    const rows = await this.sql.unsafe<CandleRow[]>(this.latestAllText, [], { prepare: true });
    return rows.map(fromRow).sort(compareCandleSeries);
  }
}

/** What one upsertBatch call holds of one series (symbol + interval) of its batch. */
class BatchSeries {
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** The latest start this repository had written for the series before the batch. */
  readonly lastWrittenBefore: number;
  /** The earliest start among the batch's fresh candles of the series; +∞ when none is fresh. */
  firstFreshStart = Number.POSITIVE_INFINITY;
  /** The latest start in the batch for the series. */
  lastStart = Number.NEGATIVE_INFINITY;

  constructor(candle: Candle, lastWrittenBefore: number | undefined) {
    this.symbol = candle.symbol;
    this.interval = candle.interval;
    this.lastWrittenBefore = lastWrittenBefore ?? Number.NEGATIVE_INFINITY;
  }
}

function fromRow(row: CandleRow): Candle {
  return {
    symbol: row.symbol,
    interval: row.interval,
    open: toNumber(row.open),
    high: toNumber(row.high),
    low: toNumber(row.low),
    close: toNumber(row.close),
    volume: toNumber(row.volume),
    startTime: toDate(row.start_time),
    endTime: toDate(row.end_time),
    numTrades: toNumber(row.num_trades),
    metadata: row.metadata,
  };
}
