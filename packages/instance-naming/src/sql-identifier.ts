/** The longest Postgres identifier, in UTF-8 bytes (`NAMEDATALEN - 1`). */
export const MAX_IDENTIFIER_BYTES = 63;

const encoder = new TextEncoder();

/**
 * Quotes a Postgres identifier (schema, table, column, index name): wraps it in double quotes
 * and doubles every embedded `"` (`a"b` → `"a""b"`, `candles` → `"candles"`).
 *
 * Contract:
 * - Any other character is kept, so the quoted form names exactly `identifier` (case kept) and
 *   can never end the identifier early or inject SQL.
 * - Throws a `RangeError` for an identifier that is empty, contains NUL (Postgres cannot store
 *   it), contains a lone UTF-16 surrogate (not encodable as UTF-8), or is longer than 63 UTF-8
 *   bytes (Postgres would silently truncate it and two names could collide).
 */
export function quoteIdentifier(identifier: string): string {
  if (identifier.length === 0) throw new RangeError("a SQL identifier must not be empty");
  if (identifier.includes("\0")) {
    throw new RangeError("a SQL identifier must not contain NUL");
  }
  if (/\p{Cs}/u.test(identifier)) {
    throw new RangeError("a SQL identifier must not contain a lone surrogate");
  }
  const bytes = encoder.encode(identifier).length;
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(
      `a SQL identifier must be at most ${MAX_IDENTIFIER_BYTES} bytes (has ${bytes})`,
    );
  }
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * The schema-qualified name `"schema"."table"`, both parts quoted with
 * {@link quoteIdentifier} and under its contract (`qualifiedName("market_data_sim_001",
 * "candles")` → `"market_data_sim_001"."candles"`).
 */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
