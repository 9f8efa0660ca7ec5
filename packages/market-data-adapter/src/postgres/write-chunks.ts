import type postgres from "postgres";

/** Rows per statement of a batched write when the caller does not say. */
export const DEFAULT_ROWS_PER_STATEMENT = 5_000;

/**
 * Writes `rows` with `write`, at most `rowsPerStatement` rows per call, all or nothing: one
 * chunk runs as a single (atomic) statement; several run in one transaction, so a failure in the
 * last chunk leaves nothing of the batch behind.
 *
 * `write` must build statement text that does not depend on the chunk (arrays as parameters),
 * so Postgres prepares it once per connection and reuses it for every chunk and batch.
 * Returns the sum of what `write` returned.
 */
export async function writeInChunks<T>(
  sql: postgres.Sql,
  rows: readonly T[],
  rowsPerStatement: number,
  write: (sql: postgres.Sql | postgres.TransactionSql, chunk: readonly T[]) => Promise<number>,
): Promise<number> {
  if (rows.length === 0) return 0;
  if (rows.length <= rowsPerStatement) return write(sql, rows);
  return sql.begin((tx) => forEachChunk(rows, rowsPerStatement, (chunk) => write(tx, chunk)));
}

/** Runs `write` on consecutive chunks of at most `size` rows, one after the other; sums its results. */
export async function forEachChunk<T>(
  rows: readonly T[],
  size: number,
  write: (chunk: readonly T[]) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let start = 0; start < rows.length; start += size) {
    total += await write(rows.slice(start, start + size));
  }
  return total;
}

/** The text Postgres receives for a number bound for a `numeric` column (`1e-7` is accepted). */
export function numericText(value: number): string {
  return String(value);
}

/**
 * A Postgres array literal (`{a,b,c}`) of values that need no quoting: numbers (their shortest
 * form, which `numeric` accepts, `1e-7` included), ISO timestamps, uuids, and symbols and
 * intervals the validators restricted to `[A-Za-z0-9-]`. Bound to a `$n::<type>[]` parameter,
 * it is parsed once by the server; postgres.js passes a string through unchanged, so the
 * per-element quoting and escaping it would apply to a JS array is skipped.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(",")}}`;
}

/**
 * A Postgres array literal of arbitrary strings (free text, JSON): every element is quoted, with
 * `\` and `"` escaped.
 */
export function quotedArrayLiteral(values: readonly string[]): string {
  let literal = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as string;
    if (i > 0) literal += ",";
    literal += NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, "\\$&")}"` : `"${value}"`;
  }
  return `${literal}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** `metadata` as JSON text; `{}` without calling the serializer. */
export function metadataJson(metadata: object): string {
  return isEmptyObject(metadata) ? "{}" : JSON.stringify(metadata);
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * A `numeric`/`bigint` value read back (postgres.js hands them over as strings so no precision
 * is lost in transit) as a JS number.
 */
export function toNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

/** A `timestamptz` value read back, as a `Date` (postgres.js parses them already). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
