import { describe, expect, it } from "vitest";
import { describeCacheStoreContract } from "../contract/cache-store.contract.js";
import { MemoryCacheStore } from "./memory-cache-store.js";

describeCacheStoreContract("memory", async ({ now }) => ({ store: new MemoryCacheStore({ now }) }));

describe("MemoryCacheStore", () => {
  it("expires a key exactly when the clock reaches its deadline, like Redis", async () => {
    let clock = 1_000;
    const store = new MemoryCacheStore({ now: () => clock });
    await store.set("k", "v", { ttlMs: 100 });
    clock = 1_099;
    expect(await store.ttl("k")).toBe(1);
    clock = 1_100;
    expect(await store.get("k")).toBeUndefined();
  });
});
