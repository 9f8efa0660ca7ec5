import { escapeGlob, type NamespaceSource, redisKey } from "@tse/instance-naming";
import {
  assertScanPattern,
  assertTtlMs,
  type CacheScanOptions,
  type CacheSetOptions,
  type CacheStore,
  cacheKeySegments,
} from "../repositories/cache-store.js";
import type { RedisConnection } from "./redis-connection.js";

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  readonly connection: RedisConnection;
  /** The instance namespace (or its identity); every key lives under it. */
  readonly namespace: NamespaceSource;
}

/**
 * {@link CacheStore} on Redis: `GET`, `SET [PX]`, `UNLINK`, `EXISTS`, `PEXPIRE`, `PTTL` and
 * `SCAN MATCH` — all within the ecosystem ACL (`+@read +@write +@keyspace -@dangerous`), never
 * `KEYS`. Outages surface as `RedisUnavailableError`s (see `RedisConnection.run`).
 */
export class RedisCacheStore implements CacheStore {
  readonly #connection: RedisConnection;
  readonly #namespace: string;

  constructor(options: RedisCacheStoreOptions) {
    this.#connection = options.connection;
    // redisKey validates the namespace; keep the plain string for prefix arithmetic.
    this.#namespace = redisKey(options.namespace, "x").slice(0, -1);
  }

  async get(key: string): Promise<string | undefined> {
    const full = this.#key(key);
    const value = await this.#connection.run("cache get", (client) => client.get(full));
    return value ?? undefined;
  }

  async set(key: string, value: string, options: CacheSetOptions = {}): Promise<void> {
    const full = this.#key(key);
    if (typeof value !== "string") throw new TypeError("a cache value must be a string");
    const { ttlMs } = options;
    if (ttlMs !== undefined) assertTtlMs(ttlMs);
    await this.#connection.run("cache set", (client) =>
      ttlMs === undefined
        ? client.set(full, value)
        : client.set(full, value, { expiration: { type: "PX", value: ttlMs } }),
    );
  }

  async delete(key: string): Promise<boolean> {
    const full = this.#key(key);
    // UNLINK frees memory off the main thread; same semantics as DEL for the caller.
    const removed = await this.#connection.run("cache delete", (client) => client.unlink(full));
    return removed > 0;
  }

  async exists(key: string): Promise<boolean> {
    const full = this.#key(key);
    return (await this.#connection.run("cache exists", (client) => client.exists(full))) > 0;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const full = this.#key(key);
    assertTtlMs(ttlMs);
    const set = await this.#connection.run("cache expire", (client) => client.pExpire(full, ttlMs));
    return set === 1;
  }

  async ttl(key: string): Promise<number | undefined> {
    const full = this.#key(key);
    const ms = await this.#connection.run("cache ttl", (client) => client.pTTL(full));
    if (ms === -2) return undefined;
    if (ms === -1) return Number.POSITIVE_INFINITY;
    return ms;
  }

  async *scan(pattern = "*", options: CacheScanOptions = {}): AsyncIterable<string> {
    assertScanPattern(pattern);
    const match = `${escapeGlob(this.#namespace)}${pattern}`;
    // SCAN may return a key more than once; the contract promises each key once.
    const seen = new Set<string>();
    for await (const key of scanKeys(
      this.#connection,
      match,
      options.batchSize ?? 100,
      "cache scan",
    )) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield key.slice(this.#namespace.length);
    }
  }

  #key(key: string): string {
    return redisKey(this.#namespace, ...cacheKeySegments(key));
  }
}

/**
 * Every key `SCAN MATCH match COUNT batchSize` yields, cursor by cursor, each round trip through
 * `connection.run` (so each has the connection's deadline). Keys may repeat (SCAN semantics).
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
