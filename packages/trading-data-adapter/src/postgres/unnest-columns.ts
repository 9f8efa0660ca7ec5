import { quoteIdentifier } from "@tse/instance-naming";

/**
 * How one column of a batched write is filled from a record: the element type of its array
 * parameter, the element's text (or `null`), and optionally an expression turning the unnested
 * value into the column's value (`s.instruments::text[]` for a nested array).
 */
export interface UnnestColumn<T> {
  /** The column name, unquoted. */
  readonly name: string;
  /** The SQL type of one array element, e.g. `numeric` or `"schema"."order_side"`. */
  readonly type: string;
  /** The element as Postgres text input, or `null`. */
  readonly value: (row: T) => string | null;
  /** The select expression over the unnested value `s.<name>`; that value itself by default. */
  readonly select?: (ref: string) => string;
}

/**
 * `insert into <table> (<columns>) select … from unnest($1::<type>[], …) as s(<columns>)`: one
 * array parameter per column, so the text never depends on the number of rows and Postgres
 * prepares it once per connection. Append the `on conflict` clause.
 */
export function unnestInsert<T>(table: string, columns: readonly UnnestColumn<T>[]): string {
  const names = columns.map((column) => quoteIdentifier(column.name)).join(", ");
  const arrays = columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(", ");
  const selects = columns
    .map((column) => {
      const ref = `s.${quoteIdentifier(column.name)}`;
      return column.select === undefined ? ref : column.select(ref);
    })
    .join(", ");
  return `insert into ${table} (${names}) select ${selects} from unnest(${arrays}) as s(${names})`;
}

/** `col = excluded.col, …` for every column of `columns` but `keys`: an upsert replacing every field. */
export function updateEveryColumn<T>(
  columns: readonly UnnestColumn<T>[],
  keys: readonly string[],
): string {
  return columns
    .filter((column) => !keys.includes(column.name))
    .map((column) => `${quoteIdentifier(column.name)} = excluded.${quoteIdentifier(column.name)}`)
    .join(", ");
}

/** The parameters of {@link unnestInsert} for `rows`: one array literal per column. */
export function unnestParameters<T>(
  columns: readonly UnnestColumn<T>[],
  rows: readonly T[],
): string[] {
  return columns.map((column) => arrayLiteral(rows.map(column.value)));
}

/**
 * A Postgres array literal (`{"a","b",NULL}`): every element quoted with `\` and `"` escaped, so
 * any text survives (JSON, nested array literals, free text); `null` is SQL NULL. Bound to a
 * `$n::<type>[]` parameter, the server parses it once; postgres.js passes the string unchanged.
 */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) literal += ",";
    if (value === null || value === undefined) {
      literal += "NULL";
    } else {
      literal += `"${ESCAPED.test(value) ? value.replace(ESCAPED_ALL, "\\$&") : value}"`;
    }
  }
  return `${literal}}`;
}

const ESCAPED = /["\\]/;
const ESCAPED_ALL = /["\\]/g;

/** A number bound for a `numeric` column, as text (`1e-7` is accepted by Postgres). */
export function numericText(value: number): string {
  return String(value);
}

/** An optional time as array element text. */
export function timeText(value: Date | undefined): string | null {
  return value === undefined ? null : value.toISOString();
}
