import { messageOf } from "@tse/error-text";
import postgres from "postgres";
import { ErrorReply } from "redis";
import { DependencyCheckError } from "./dependency-check-error.js";
import { postgresHealthCheck } from "./postgres/postgres-health.js";
import type { RedisConnection } from "./redis/redis-connection.js";

/** How long a start-up check waits for a dependency unless told otherwise. */
export const DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS = 10_000;

/** Pause between two attempts to reach a Postgres that is not there (yet). */
const RETRY_DELAY_MS = 250;

/** Options of {@link checkPostgres}. */
export interface CheckPostgresOptions {
  /** The server's URL, for the message (only host, port and database are shown). */
  readonly url: string;
  /** Give up after this long, ms (default {@link DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Checks that Postgres answers `select 1` on `sql` — reachable, credentials and database
 * accepted — and writes nothing.
 *
 * Contract: resolves once a query ran. While the server cannot be reached (refused, timed out,
 * starting up, too many connections) it retries every 250 ms until `timeoutMs` has passed, then
 * rejects with a {@link DependencyCheckError} carrying the last cause. Any other answer of the
 * server (wrong password, unknown role or database) is final and rejects at once. Rejects with
 * `signal.reason` when `signal` aborts.
 */
export async function checkPostgres(
  sql: postgres.Sql,
  options: CheckPostgresOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal =
    options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  const probe = postgresHealthCheck(sql);
  const where = `Postgres at ${describeServer(options.url)}`;
  let last: unknown;
  for (;;) {
    try {
      await probe(signal);
      return;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!deadline.aborted) {
        if (!isTransient(error)) {
          throw new DependencyCheckError(
            "Postgres",
            `${where} refused the connection: ${firstLineOf(error)}`,
            {
              cause: error,
            },
          );
        }
        last = error;
      }
    }
    if (deadline.aborted) {
      const cause = last === undefined ? "no answer" : firstLineOf(last);
      throw new DependencyCheckError(
        "Postgres",
        `${where} is unreachable: ${cause} (gave up after ${timeoutMs} ms)`,
        { cause: last },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
}

/**
 * Connects `connection` (see `RedisConnection.connect`: bounded by its `startupTimeoutMs`, at
 * once when the server refuses the credentials) and writes nothing. Rejects with a
 * {@link DependencyCheckError} naming the server and the cause; with `signal.reason` when
 * `signal` aborts.
 */
export async function checkRedis(
  connection: RedisConnection,
  options: { readonly url: string; readonly signal?: AbortSignal | undefined },
): Promise<void> {
  try {
    await connection.connect(options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const cause = error instanceof Error ? error.cause : undefined;
    const where = `Redis at ${describeServer(options.url)}`;
    throw new DependencyCheckError(
      "Redis",
      cause instanceof ErrorReply
        ? `${where} refused the connection: ${firstLineOf(cause)}`
        : `${where} is unreachable: ${firstLineOf(cause ?? error)} (gave up after ${connection.startupTimeoutMs} ms)`,
      { cause: error },
    );
  }
}

/** `host:port/database` of a server URL: enough to find it, never its credentials. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Whether a failed Postgres attempt may succeed later: network errors, and the server's
 * "starting up / shutting down" (class 57P0x), "too many connections" (53300) and
 * connection-exception (08xxx) answers.
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof postgres.PostgresError)) return true;
  const code = error.code ?? "";
  return code.startsWith("57P0") || code === "53300" || code.startsWith("08");
}

/** The first line of what was thrown: a driver's message may run on with context lines. */
function firstLineOf(error: unknown): string {
  return messageOf(error).split("\n")[0] ?? "";
}
