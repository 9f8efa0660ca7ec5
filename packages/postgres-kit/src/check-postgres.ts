import {
  DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS,
  DependencyCheckError,
  describeServer,
  firstLineOf,
} from "@tse/dependency-check";
import postgres from "postgres";
import { postgresHealthCheck } from "./postgres-health.js";

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
 * Whether a failed Postgres attempt may succeed later: network errors, and the server's
 * "starting up / shutting down" (class 57P0x), "too many connections" (53300) and
 * connection-exception (08xxx) answers.
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof postgres.PostgresError)) return true;
  const code = error.code ?? "";
  return code.startsWith("57P0") || code === "53300" || code.startsWith("08");
}
