import { once } from "node:events";
import type postgres from "postgres";

/**
 * Batches with at least this many new rows are written with `COPY` (see {@link copyRows});
 * smaller ones with one `insert … unnest` statement, which costs one round trip instead of four.
 */
export const COPY_THRESHOLD_ROWS = 200;

/** Rows per chunk written to the COPY stream: big enough to amortise, small enough to stream. */
const LINES_PER_CHUNK = 1_000;

/** How long a COPY may take before it is given up (see {@link copyRows}). */
export const COPY_DEADLINE_MS = 30_000;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_GLOBAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

/**
 * A value for a field of `COPY … FROM STDIN` text format: backslash, tab, newline and carriage
 * return escaped, so free text (a source name, JSON metadata) cannot break the row apart.
 */
export function copyText(value: string): string {
  return COPY_SPECIAL.test(value)
    ? value.replace(COPY_SPECIAL_GLOBAL, (char) => COPY_ESCAPES[char] ?? char)
    : value;
}

/** A COPY that failed or did not finish in time; the transaction must be rolled back. */
export class CopyFailedError extends Error {
  override readonly name = "CopyFailedError";
}

/**
 * Streams `rows` into `table` (`columns` in order) with `COPY … FROM STDIN` (one atomic
 * statement, on its own or inside transaction `sql`), one text-format line per row from `toLine` (tab-separated fields, special characters
 * escaped with {@link copyText}, ending in `\n`). COPY uses Postgres' bulk insert path, about
 * twice as fast as row-by-row `INSERT … SELECT`, but has no `ON CONFLICT`: callers first make
 * sure no row can collide.
 *
 * Contract: resolves when the server confirmed the COPY; rejects when it refused it. Unpatched,
 * postgres.js 3.4.9 never settles the stream when the server refuses a COPY after the last row
 * was sent (porsager/postgres#1173; `patches/` fixes it), so the COPY is also given up after
 * `deadlineMs` with a {@link CopyFailedError} instead of a batch waiting forever: a transaction
 * around it rolls back; a COPY on its own that completes after all is harmless, since callers
 * retry by id or key and a stored row is recognised.
 */
export async function copyRows<T>(
  sql: postgres.Sql | postgres.TransactionSql,
  table: string,
  columns: string,
  rows: readonly T[],
  toLine: (row: T) => string,
  deadlineMs = COPY_DEADLINE_MS,
): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    writable.once("finish", resolve);
    writable.once("error", reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CopyFailedError(`COPY into ${table} did not complete in ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  const write = async () => {
    for (let start = 0; start < rows.length; start += LINES_PER_CHUNK) {
      let chunk = "";
      const end = Math.min(rows.length, start + LINES_PER_CHUNK);
      for (let i = start; i < end; i++) chunk += toLine(rows[i] as T);
      if (!writable.write(chunk)) await once(writable, "drain");
    }
    writable.end();
    await finished;
  };
  try {
    await Promise.race([write(), finished, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const UNIQUE_VIOLATION = "23505";

/**
 * Writes a batch of rows that should be new to their table. One query (`anyStored`) checks that
 * none is stored, then `copy` writes them all with a single `COPY`, atomic on its own, with no
 * transaction around it (an explicit one costs this path about a fifth of its throughput here).
 * When some are stored already, or a concurrent writer stores one between the check and the COPY
 * (which then fails with a unique violation and writes nothing), `fallback` — the `ON CONFLICT`
 * statements — writes the batch instead. Returns the path taken.
 */
export async function copyUnlessStored(
  anyStored: () => Promise<boolean>,
  copy: () => Promise<void>,
  fallback: () => Promise<void>,
): Promise<"copy" | "fallback"> {
  if (!(await anyStored())) {
    try {
      await copy();
      return "copy";
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw error;
    }
  }
  await fallback();
  return "fallback";
}
