/** Options of {@link CacheStore.set}. */
export interface CacheSetOptions {
  /** Time to live in milliseconds (an integer >= 1); absent means the key never expires. */
  readonly ttlMs?: number;
}

/**
 * A generic string cache under the instance's Redis namespace (docs/data-model.md#redis-keys).
 *
 * Keys are relative to the cache of the namespace: `set("symbols:all", …)` writes
 * `<ns>cache:symbols:all`. A key is one or more `:`-separated segments, each non-empty, without
 * whitespace, control or glob characters (`* ? [ ] \`); a bad key throws a `RangeError` before
 * any I/O. Values are strings (callers serialise). Expired keys are invisible to every method.
 * There is no listing of keys: that needs `SCAN`, which shows every instance's key names and is
 * therefore not granted to the ecosystem's ACL users. Implementations: Redis
 * (`RedisCacheStore`) and in memory (`MemoryCacheStore`), held to one contract suite.
 */
export interface CacheStore {
  /** The value of `key`, or `undefined` when it is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /**
   * Stores `value` at `key`, replacing any value and TTL it had; with `ttlMs` the key expires
   * after that many milliseconds, without it the key is persistent.
   */
  set(key: string, value: string, options?: CacheSetOptions): Promise<void>;
  /** Removes `key`; `true` when it existed. */
  delete(key: string): Promise<boolean>;
  /** Whether `key` exists (and has not expired). */
  exists(key: string): Promise<boolean>;
  /** Sets the TTL of an existing key (an integer >= 1 ms); `false` when the key is absent. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /**
   * The remaining TTL of `key` in milliseconds: `undefined` when the key is absent,
   * `Number.POSITIVE_INFINITY` when it never expires.
   */
  ttl(key: string): Promise<number | undefined>;
}

/**
 * Throws a `RangeError` unless `key` is a valid relative cache key (see {@link CacheStore}) and
 * returns its segments.
 */
export function cacheKeySegments(key: string): string[] {
  if (typeof key !== "string" || key.length === 0) {
    throw new RangeError(`a cache key must be a non-empty string, got ${JSON.stringify(key)}`);
  }
  const segments = key.split(":");
  for (const segment of segments) {
    if (segment.length === 0 || /[\s\p{Cc}*?[\]\\]/u.test(segment)) {
      throw new RangeError(
        `a cache key is ':'-separated non-empty segments without whitespace, control or glob characters, got ${JSON.stringify(key)}`,
      );
    }
  }
  return segments;
}

/** Throws a `RangeError` unless `ttlMs` is an integer from 1 to 2^53-1. */
export function assertTtlMs(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError(`a TTL must be an integer number of milliseconds >= 1, got ${ttlMs}`);
  }
}
