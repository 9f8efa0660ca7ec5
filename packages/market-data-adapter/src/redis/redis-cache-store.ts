import { INSTANCE_KEYS, type NamespaceSource, redisKey } from "@tse/instance-naming";
import type { RedisConnection } from "@tse/redis-kit";
import {
  assertTtlMs,
  type CacheSetOptions,
  type CacheStore,
  cacheKeySegments,
} from "../repositories/cache-store.js";

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  readonly connection: RedisConnection;
  /** The instance namespace (or its identity); every key lives under it. */
  readonly namespace: NamespaceSource;
}

/**
 * {@link CacheStore} on Redis, every key at `<ns>cache:<key>` (the `cache` key family, which the
 * instance's ACL user is granted by `aclKeyPatterns`): `GET`, `SET [PX]`, `UNLINK`, `EXISTS`,
 * `PEXPIRE`, `PTTL` — never `SCAN` or `KEYS`. Outages surface as `RedisUnavailableError`s (see
 * `RedisConnection.run`).
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

  #key(key: string): string {
    return redisKey(this.#namespace, INSTANCE_KEYS.cache, ...cacheKeySegments(key));
  }
}
