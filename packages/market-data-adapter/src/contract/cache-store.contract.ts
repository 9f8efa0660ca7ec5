import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheStore } from "../repositories/cache-store.js";

/** What a {@link describeCacheStoreContract} factory gets. */
export interface CacheStoreContractContext {
  /** The clock the store must use where it has one (epoch ms); the suite advances it. */
  readonly now: () => number;
}

/** What a {@link describeCacheStoreContract} factory returns: a fresh, empty store. */
export interface CacheStoreFixture {
  readonly store: CacheStore;
  /**
   * Lets `ms` of real time pass, for stores whose TTLs run on a real clock (Redis); absent for
   * stores on the injected clock (memory), where advancing `now` is enough.
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Releases what the fixture created; called after each test. */
  readonly cleanup?: () => Promise<void>;
}

/** Remaining-TTL assertions allow this much drift (ms) between the set and the read. */
const TTL_SLACK_MS = 1_000;

/**
 * The behaviour every {@link CacheStore} must have. `factory` is called before each test and must
 * return an empty store (e.g. a fresh namespace). Expiry tests use TTLs of 300 ms so a real
 * Redis needs `sleep` for under half a second, twice per run.
 */
export function describeCacheStoreContract(
  name: string,
  factory: (context: CacheStoreContractContext) => Promise<CacheStoreFixture>,
): void {
  describe(`CacheStore contract: ${name}`, () => {
    let clock = 0;
    let fixture: CacheStoreFixture;
    let store: CacheStore;
    const elapse = async (ms: number) => {
      clock += ms;
      await fixture.sleep?.(ms);
    };

    beforeEach(async () => {
      clock = 1_700_000_000_000;
      fixture = await factory({ now: () => clock });
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it("gets undefined for a missing key and what was set otherwise", async () => {
      expect(await store.get("missing")).toBeUndefined();
      await store.set("greeting", "hello");
      expect(await store.get("greeting")).toBe("hello");
      await store.set("greeting", "hello again");
      expect(await store.get("greeting")).toBe("hello again");
    });

    it("keeps values byte for byte (empty, unicode, JSON)", async () => {
      const values = ["", "ünïcødé ✓ 🚀", JSON.stringify({ a: [1, 2], b: "x\ny" })];
      for (const [index, value] of values.entries()) {
        await store.set(`value:${index}`, value);
        expect(await store.get(`value:${index}`)).toBe(value);
      }
    });

    it("deletes and reports whether the key existed", async () => {
      await store.set("a", "1");
      expect(await store.exists("a")).toBe(true);
      expect(await store.delete("a")).toBe(true);
      expect(await store.delete("a")).toBe(false);
      expect(await store.exists("a")).toBe(false);
      expect(await store.get("a")).toBeUndefined();
    });

    it("reports TTLs: none, set with the value, changed by expire, cleared by a plain set", async () => {
      expect(await store.ttl("nothing")).toBeUndefined();
      await store.set("plain", "v");
      expect(await store.ttl("plain")).toBe(Number.POSITIVE_INFINITY);
      await store.set("timed", "v", { ttlMs: 60_000 });
      const ttl = await store.ttl("timed");
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(ttl).toBeGreaterThan(60_000 - TTL_SLACK_MS);
      expect(await store.expire("timed", 120_000)).toBe(true);
      expect(await store.ttl("timed")).toBeGreaterThan(120_000 - TTL_SLACK_MS);
      await store.set("timed", "again");
      expect(await store.ttl("timed")).toBe(Number.POSITIVE_INFINITY);
    });

    it("expire on a missing key is false and creates nothing", async () => {
      expect(await store.expire("ghost", 1_000)).toBe(false);
      expect(await store.exists("ghost")).toBe(false);
    });

    it("makes expired keys invisible to every method", async () => {
      await store.set("short", "v", { ttlMs: 300 });
      await store.set("expiring", "v");
      expect(await store.expire("expiring", 300)).toBe(true);
      await store.set("stays", "v");
      expect(await store.get("short")).toBe("v");
      await elapse(450);
      for (const key of ["short", "expiring"]) {
        expect(await store.get(key)).toBeUndefined();
        expect(await store.exists(key)).toBe(false);
        expect(await store.ttl(key)).toBeUndefined();
        expect(await store.expire(key, 1_000)).toBe(false);
        expect(await store.delete(key)).toBe(false);
      }
      expect(await store.get("stays")).toBe("v");
    });

    it("rejects malformed keys and TTLs before any I/O", async () => {
      for (const key of ["", ":a", "a:", "a::b", "a*", "a?b", "a[1]", "a\\b", "a b", "a\nb"]) {
        await expect(store.set(key, "v"), JSON.stringify(key)).rejects.toThrow(RangeError);
        await expect(store.get(key), JSON.stringify(key)).rejects.toThrow(RangeError);
      }
      for (const ttlMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set("k", "v", { ttlMs }), String(ttlMs)).rejects.toThrow(RangeError);
        await expect(store.expire("k", ttlMs), String(ttlMs)).rejects.toThrow(RangeError);
      }
      expect(await store.exists("k")).toBe(false);
    });
  });
}
