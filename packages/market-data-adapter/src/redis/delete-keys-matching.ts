import { scanKeys } from "./redis-cache-store.js";
import type { RedisConnection } from "./redis-connection.js";

/**
 * Deletes every key matching the `SCAN MATCH` pattern `match` (e.g. a namespace's
 * `scanPattern(ns)`), a page at a time with `UNLINK` — never `KEYS`, so it is allowed to the
 * ecosystem's ACL users and does not block Redis on a large keyspace. Returns how many keys it
 * removed. Keys written concurrently may survive (SCAN semantics). Used to drop a test or
 * decommissioned instance's namespace.
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
