import type { RedisConnection } from "./redis-connection.js";
import { scanKeys } from "./scan-keys.js";

/**
 * Deletes every key matching the `SCAN MATCH` pattern `match` (e.g. a namespace's
 * `scanPattern(ns)`), a page at a time with `UNLINK` — never `KEYS`, so it does not block Redis
 * on a large keyspace. Returns how many keys it removed. Keys written concurrently may survive
 * (SCAN semantics). An administrative tool, run as a user that may `SCAN` (an instance's ACL
 * user may not: SCAN shows every instance's key names), to drop a test or decommissioned
 * instance's namespace. Note `scanPattern` of a namespace also matches the namespaces that
 * extend it (`market:data:sim:binance:` those of `market-data-sim-binance-eu`).
 */
export async function deleteKeysMatching(
  connection: RedisConnection,
  match: string,
): Promise<number> {
  let removed = 0;
  let page: string[] = [];
  const flush = async () => {
    const keys = page;
    page = [];
    if (keys.length > 0) {
      removed += await connection.run("delete keys", (client) => client.unlink(keys));
    }
  };
  for await (const key of scanKeys(connection, match, 500, "delete keys")) {
    page.push(key);
    if (page.length >= 500) await flush();
  }
  await flush();
  return removed;
}
