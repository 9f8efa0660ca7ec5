import { copyText } from "./copy-rows.js";
import { arrayLiteral, quotedArrayLiteral } from "./write-chunks.js";

/**
 * How one table column is written from a record: its name, its Postgres type, and its value as
 * text or a number. The same description drives the batched `unnest` parameters and the `COPY`
 * lines, so both write paths always agree.
 */
export interface ColumnSpec<T> {
  /** The column name as it appears in SQL (quoted when it is a keyword: `"interval"`). */
  readonly name: string;
  /** The Postgres type of the column (`numeric`, `timestamptz`, …). */
  readonly type: string;
  readonly value: (row: T) => string | number;
  /**
   * The value may hold any character (free text, JSON): it is quoted in array literals and
   * escaped in COPY lines. Leave unset for numbers, timestamps, uuids and validated symbols.
   */
  readonly freeText?: boolean;
}

/** `a, b, c`: the column list of `insert into` / `copy`. */
export function columnList<T>(columns: readonly ColumnSpec<T>[]): string {
  return columns.map((column) => column.name).join(", ");
}

/**
 * `insert into <table> (<columns>) select * from unnest($1::<type>[], …)`, one array parameter
 * per column: the text never depends on the number of rows, so it is prepared once.
 */
export function unnestInsert<T>(table: string, columns: readonly ColumnSpec<T>[]): string {
  const arrays = columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(", ");
  return `insert into ${table} (${columnList(columns)}) select * from unnest(${arrays})`;
}

/** The parameters of {@link unnestInsert} for `rows`: one array literal per column. */
export function unnestParameters<T>(
  columns: readonly ColumnSpec<T>[],
  rows: readonly T[],
): string[] {
  return columns.map((column) =>
    column.freeText
      ? quotedArrayLiteral(rows.map((row) => String(column.value(row))))
      : arrayLiteral(rows.map(column.value)),
  );
}

/** A `COPY … FROM STDIN` text-format line of `row` (tab-separated, escaped, ending in `\n`). */
export function copyLine<T>(columns: readonly ColumnSpec<T>[], row: T): string {
  let line = "";
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as ColumnSpec<T>;
    const value = column.value(row);
    if (i > 0) line += "\t";
    line += column.freeText ? copyText(String(value)) : value;
  }
  return `${line}\n`;
}
