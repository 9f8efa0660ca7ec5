import { DependencyCheckError, describeServer, firstLineOf } from "@tse/dependency-check";
import { ErrorReply } from "redis";
import type { RedisConnection } from "./redis-connection.js";

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
