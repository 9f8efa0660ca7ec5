import {
  assertTtlMs,
  type CacheSetOptions,
  type CacheStore,
  cacheKeySegments,
} from "../repositories/cache-store.js";

/** Options of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** The clock, in epoch milliseconds; default `Date.now`. Tests inject one and never sleep. */
  readonly now?: () => number;
}

interface Entry {
  readonly value: string;
  /** Epoch ms at which the key disappears; `undefined` = never. */
  readonly expiresAt: number | undefined;
}

/**
 * {@link CacheStore} in process memory, with the behaviour of the Redis implementation: same key
 * rules, TTLs measured on the injected clock (a key is gone once `now() >= expiresAt`, like
 * Redis). Each instance is its own namespace.
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, options: CacheSetOptions = {}): Promise<void> {
    cacheKeySegments(key);
    if (typeof value !== "string") throw new TypeError("a cache value must be a string");
    if (options.ttlMs !== undefined) assertTtlMs(options.ttlMs);
    const expiresAt = options.ttlMs === undefined ? undefined : this.#now() + options.ttlMs;
    this.#entries.set(key, { value, expiresAt });
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#entries.delete(key);
    return existed;
  }

  async exists(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    assertTtlMs(ttlMs);
    const entry = this.#live(key);
    if (entry === undefined) return false;
    this.#entries.set(key, { value: entry.value, expiresAt: this.#now() + ttlMs });
    return true;
  }

  async ttl(key: string): Promise<number | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    return entry.expiresAt === undefined ? Number.POSITIVE_INFINITY : entry.expiresAt - this.#now();
  }

  /** The entry of `key` unless it expired (expired entries are dropped on sight). */
  #live(key: string): Entry | undefined {
    cacheKeySegments(key);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
