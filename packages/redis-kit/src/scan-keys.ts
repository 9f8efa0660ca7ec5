import type { RedisConnection } from "./redis-connection.js";

/**
 * Every key `SCAN MATCH match COUNT batchSize` yields, cursor by cursor, each round trip through
 * `connection.run` (so each has the connection's deadline). Keys may repeat (SCAN semantics).
 * An administrative tool (deleting a decommissioned namespace, test clean-up): SCAN shows every
 * instance's key names, so the ecosystem's ACL users may not run it and no store uses it.
 */
export async function* scanKeys(
  connection: RedisConnection,
  match: string,
  batchSize: number,
  operation: string,
): AsyncGenerator<string> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`the scan batch size must be an integer >= 1, got ${batchSize}`);
  }
  let cursor = "0";
  do {
    const reply = await connection.run(operation, (client) =>
      client.scan(cursor, { MATCH: match, COUNT: batchSize }),
    );
    cursor = String(reply.cursor);
    for (const key of reply.keys) yield String(key);
  } while (cursor !== "0");
}
