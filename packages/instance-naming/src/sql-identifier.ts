/**
 * Quotes a SQL identifier for Postgres: wraps it in double quotes and doubles embedded ones
 * (`a"b` → `"a""b"`), so any name is taken literally and can never inject SQL. Throws a
 * `RangeError` for an empty identifier, one containing NUL, or one longer than 63 bytes
 * (Postgres would silently truncate it).
 */
export function quoteIdentifier(identifier: string): string {
  if (identifier.length === 0) throw new RangeError("a SQL identifier must not be empty");
  if (identifier.includes("\0")) throw new RangeError("a SQL identifier must not contain NUL");
  if (Buffer.byteLength(identifier, "utf8") > 63)
    throw new RangeError("a SQL identifier must be at most 63 bytes");
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`, both parts quoted with {@link quoteIdentifier}. */
export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}
