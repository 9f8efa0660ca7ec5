import { checkDate } from "@tse/field-checks";
import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import { validateSymbol } from "../model/market-symbol.js";
import type { CheckedTimeRange } from "../repositories/time-range-query.js";
import {
  type ColumnSpec,
  columnList,
  copyLine,
  unnestInsert,
  unnestParameters,
} from "./column-spec.js";
import { COPY_THRESHOLD_ROWS, copyRows, copyUnlessStored } from "./copy-rows.js";
import { DEFAULT_ROWS_PER_STATEMENT, writeInChunks } from "./write-chunks.js";

/** The shape of {@link SymbolTimeSeriesTable}. */
export interface SymbolTimeSeriesTableOptions<T, Row> {
  /** The instance schema (unquoted). */
  readonly schema: string;
  /** The table in it, e.g. `price_feeds`. */
  readonly table: string;
  /** The uuid primary key column, assigned by the caller: writing an id twice is a no-op. */
  readonly idColumn: string;
  /** Every column, in table order; must include `idColumn`, `symbol` and `"timestamp"`. */
  readonly columns: readonly ColumnSpec<T>[];
  readonly fromRow: (row: Row) => T;
  /** Rows per insert statement; bigger batches are split, in one transaction. */
  readonly rowsPerStatement?: number;
}

/**
 * The equality filters of {@link SymbolTimeSeriesTable.query} on columns (`symbol`, `source`);
 * an undefined value is no filter.
 */
export type ColumnFilters = readonly (readonly [column: string, value: string | undefined])[];

/**
 * An append-only, per-symbol time series table keyed by a caller-assigned uuid (`price_feeds`,
 * `market_snapshots`), on postgres.js.
 *
 * Writes happen once per id, so a retried batch that had in fact committed is not duplicated:
 * - small batches: `insert … select * from unnest($1::uuid[], …) on conflict (<id>) do nothing`,
 *   whose text never depends on the batch size, so it is prepared once per connection;
 * - batches of at least `COPY_THRESHOLD_ROWS`: one `COPY` (Postgres' bulk insert path, about
 *   twice as fast) after one query checked that none of the ids is stored (a retried batch may
 *   be; then the statement above writes it instead); see `copyUnlessStored`.
 * Reads: latest per symbol (one index probe), latest of every symbol (a loose index scan), a
 * filtered range in time order (ties broken by id), deletion before a cutoff.
 */
export class SymbolTimeSeriesTable<T extends { readonly symbol: string }, Row> {
  readonly #sql: postgres.Sql;
  readonly #table: string;
  readonly #idColumn: string;
  readonly #columns: readonly ColumnSpec<T>[];
  readonly #fromRow: (row: Row) => T;
  readonly #rowsPerStatement: number;
  readonly #insertText: string;
  readonly #anyStoredText: string;
  readonly #latestText: string;
  readonly #latestAllText: string;
  readonly #deleteText: string;

  constructor(sql: postgres.Sql, options: SymbolTimeSeriesTableOptions<T, Row>) {
    const table = qualifiedName(options.schema, options.table);
    const id = options.idColumn;
    const columns = columnList(options.columns);
    this.#sql = sql;
    this.#table = table;
    this.#idColumn = id;
    this.#columns = options.columns;
    this.#fromRow = options.fromRow;
    this.#rowsPerStatement = options.rowsPerStatement ?? DEFAULT_ROWS_PER_STATEMENT;
    this.#insertText = `${unnestInsert(table, options.columns)} on conflict (${id}) do nothing`;
    // One primary-key probe per id (a plain "= any($1)" may be planned as a sequential scan).
    this.#anyStoredText = `select 1 from unnest($1::uuid[]) as i(id)
      where exists (select 1 from ${table} t where t.${id} = i.id) limit 1`;
    this.#latestText = `select ${columns} from ${table} where symbol = $1
      order by "timestamp" desc, ${id} desc limit 1`;
    // A loose index scan: one index probe per symbol instead of reading every row.
    this.#latestAllText = `with recursive symbols(symbol) as (
        select min(symbol) from ${table}
        union all
        select (select min(f.symbol) from ${table} f where f.symbol > s.symbol)
        from symbols s where s.symbol is not null
      )
      select latest.* from symbols s cross join lateral (
        select ${columns} from ${table} f where f.symbol = s.symbol
        order by "timestamp" desc, ${id} desc limit 1
      ) latest`;
    this.#deleteText = `delete from ${table} where "timestamp" < $1`;
  }

  /** Writes validated `rows` once each (see the class comment). */
  async insertOnce(rows: readonly T[]): Promise<void> {
    if (rows.length < COPY_THRESHOLD_ROWS) {
      await writeInChunks(this.#sql, rows, this.#rowsPerStatement, (sql, chunk) =>
        this.#insertChunk(sql, chunk),
      );
      return;
    }
    const idColumn = this.#columns.find((column) => column.name === this.#idColumn);
    if (idColumn === undefined) throw new Error(`no column spec for ${this.#idColumn}`);
    await copyUnlessStored(
      async () =>
        // Planned on every call, for the table as it is then (see the candle repository's
        // check): a plan cached while the table was empty would scan it in full every time.
        (
          await this.#sql.unsafe(this.#anyStoredText, unnestParameters([idColumn], rows), {
            prepare: false,
          })
        ).length > 0,
      () =>
        copyRows(this.#sql, this.#table, columnList(this.#columns), rows, (row) =>
          copyLine(this.#columns, row),
        ),
      async () => {
        await writeInChunks(this.#sql, rows, this.#rowsPerStatement, (sql, chunk) =>
          this.#insertChunk(sql, chunk),
        );
      },
    );
  }

  /** The newest row of `symbol` (ties: greatest id), or `undefined`. */
  async latest(symbol: string): Promise<T | undefined> {
    const rows = await this.#sql.unsafe<Row[]>(this.#latestText, [validateSymbol(symbol)], {
      prepare: true,
    });
    const row = rows[0];
    return row === undefined ? undefined : this.#fromRow(row);
  }

  /** {@link latest} of every symbol, ordered by symbol (code units, whatever the collation). */
  async latestAll(): Promise<T[]> {
    const rows = await this.#sql.unsafe<Row[]>(this.#latestAllText, [], { prepare: true });
    return rows
      .map(this.#fromRow)
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  /**
   * The rows matching `equal` and `range` (`"timestamp" >= from`, `"timestamp" < to`), in the
   * range's order (ties broken by id in the same direction) and page.
   */
  async query(equal: ColumnFilters, range: CheckedTimeRange): Promise<T[]> {
    const where: string[] = [];
    const params: (string | Date | number | null)[] = [];
    const add = (condition: string, value: string | Date) => {
      params.push(value);
      where.push(`${condition} $${params.length}`);
    };
    for (const [column, value] of equal) if (value !== undefined) add(`${column} =`, value);
    if (range.from !== undefined) add(`"timestamp" >=`, range.from);
    if (range.to !== undefined) add(`"timestamp" <`, range.to);
    params.push(range.limit ?? null, range.offset);
    const direction = range.order === "asc" ? "asc" : "desc";
    // Only a handful of distinct texts exist (filters present × order), each prepared once.
    const text = `select ${columnList(this.#columns)} from ${this.#table}
      ${where.length > 0 ? `where ${where.join(" and ")}` : ""}
      order by "timestamp" ${direction}, ${this.#idColumn} ${direction}
      limit $${params.length - 1}::bigint offset $${params.length}::bigint`;
    const rows = await this.#sql.unsafe<Row[]>(text, params, { prepare: true });
    return rows.map(this.#fromRow);
  }

  /** Deletes the rows older than `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.#sql.unsafe(this.#deleteText, [checkDate("cutoff", cutoff)], {
      prepare: true,
    });
    return result.count;
  }

  async #insertChunk(
    sql: postgres.Sql | postgres.TransactionSql,
    chunk: readonly T[],
  ): Promise<number> {
    const result = await sql.unsafe(this.#insertText, unnestParameters(this.#columns, chunk), {
      prepare: true,
    });
    return result.count;
  }
}
