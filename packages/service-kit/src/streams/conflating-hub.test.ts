import { describe, expect, it } from "vitest";
import { ConflatingHub, type ConflatingHubOptions } from "./conflating-hub.js";
import { StreamRefusedError } from "./stream-refused-error.js";

interface Update {
  readonly symbol: string;
  readonly sequence: number;
}

const limits = { maxSubscribers: 3, maxTopicsPerSubscription: 2 };
const update = (symbol: string, sequence: number): Update => ({ symbol, sequence });

/** A hub of one update per symbol, as the simulator's quote stream uses it. */
const perSymbolHub = (options: Partial<ConflatingHubOptions<Update>> = {}) =>
  new ConflatingHub<Update>({
    keyOf: (u) => u.symbol,
    overflow: { kind: "conflate" },
    limits,
    wording: { topics: "symbols" },
    ...options,
  });

describe("ConflatingHub with the conflate policy, by symbol", () => {
  it("delivers every update to a subscriber that keeps up, only for its symbols", async () => {
    const hub = perSymbolHub();
    const btc = hub.subscribe(["BTC-USD"]);
    const all = hub.subscribe("all");
    const received: Update[] = [];
    for (let i = 1; i <= 5; i++) {
      hub.publish([update("BTC-USD", i), update("ETH-USD", i)]);
      received.push(...((await btc.next()) ?? []));
      expect(await all.next()).toEqual([update("BTC-USD", i), update("ETH-USD", i)]);
    }
    expect(received.map((u) => u.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(received.every((u) => u.symbol === "BTC-USD")).toBe(true);
    expect(btc.conflated).toBe(0);
  });

  it("conflates for a subscriber that stops reading: bounded, newest per symbol, counted", async () => {
    const counted: number[] = [];
    const hub = perSymbolHub({ onConflated: (n) => counted.push(n) });
    const slow = hub.subscribe("all");
    const fast = hub.subscribe("all");
    for (let i = 1; i <= 10_000; i++) {
      hub.publish([update("BTC-USD", i), update("ETH-USD", i)]);
      expect(fast.pending).toBe(2);
      await fast.next();
    }
    // The slow one never read: it holds one update per symbol, the newest.
    expect(slow.pending).toBe(2);
    expect(slow.conflated).toBe(2 * 9_999);
    expect(counted.reduce((s, n) => s + n, 0)).toBe(2 * 9_999);
    expect(await slow.next()).toEqual([update("BTC-USD", 10_000), update("ETH-USD", 10_000)]);
    expect(fast.conflated).toBe(0);
  });

  it("wakes a waiting subscriber on publish and ends it on close", async () => {
    const hub = perSymbolHub();
    const subscription = hub.subscribe("all");
    const waiting = subscription.next();
    hub.publish([update("SOL-USD", 1)]);
    expect(await waiting).toEqual([update("SOL-USD", 1)]);
    const ended = subscription.next();
    subscription.close();
    expect(await ended).toBeUndefined();
    expect(hub.size).toBe(0);
  });

  it("iterates with for await, and closeAll ends every iterator", async () => {
    const hub = perSymbolHub();
    const subscription = hub.subscribe(["BTC-USD"]);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const batch of subscription) seen.push(...batch.map((u) => u.sequence));
    })();
    hub.publish([update("BTC-USD", 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    hub.publish([update("BTC-USD", 2)]);
    await new Promise((resolve) => setImmediate(resolve));
    hub.closeAll();
    await loop;
    expect(seen).toEqual([1, 2]);
    expect(hub.size).toBe(0);
  });

  it("refuses subscriptions past its limits, and frees a place when one closes", () => {
    const hub = perSymbolHub();
    const first = hub.subscribe("all");
    hub.subscribe("all");
    hub.subscribe("all");
    expect(() => hub.subscribe("all")).toThrow(StreamRefusedError);
    first.close();
    expect(() => hub.subscribe(["A-USD", "B-USD", "C-USD"])).toThrow(/at most 2 symbols/);
    expect(() => hub.subscribe(["A-USD"])).not.toThrow();
  });

  it("counts subscribers per symbol and reports every open and close", () => {
    let changes = 0;
    const hub = perSymbolHub({ onSubscriptionsChanged: () => changes++ });
    const btc = hub.subscribe(["BTC-USD"]);
    const all = hub.subscribe("all");
    expect(hub.subscriberCount("BTC-USD")).toBe(2);
    expect(hub.subscriberCount("ETH-USD")).toBe(1);
    btc.close();
    btc.close();
    expect(hub.subscriberCount("BTC-USD")).toBe(1);
    expect(changes).toBe(3);
    hub.closeAll();
    expect(hub.subscriberCount("ETH-USD")).toBe(0);
    expect(changes).toBe(4);
    all.close();
    expect(changes).toBe(4);
  });
});

interface Item {
  readonly id: string;
  readonly version: number;
}

/** A hub of one state per id that closes slow subscribers, as the engine's order stream uses it. */
const perIdHub = (maxSubscribers: number, maxPending: number) =>
  new ConflatingHub<Item>({
    keyOf: (i) => i.id,
    overflow: { kind: "close", maxPending },
    limits: { maxSubscribers },
  });

describe("ConflatingHub with the close policy, by id", () => {
  it("delivers each key once in its latest state, in the order of the last change", async () => {
    const hub = perIdHub(2, 10);
    const sub = hub.subscribe();
    hub.publish([
      { id: "a", version: 1 },
      { id: "b", version: 1 },
    ]);
    hub.publish([{ id: "a", version: 2 }]);
    expect(await sub.next()).toEqual([
      { id: "b", version: 1 },
      { id: "a", version: 2 },
    ]);
  });

  it("filters per subscriber and refuses past the subscriber limit", async () => {
    const hub = perIdHub(1, 10);
    const onlyA = hub.subscribe("all", (i) => i.id === "a");
    expect(() => hub.subscribe()).toThrow(StreamRefusedError);
    expect(() => hub.subscribe()).toThrow("at most 1 streams at once");
    hub.publish([
      { id: "b", version: 1 },
      { id: "a", version: 1 },
    ]);
    expect(await onlyA.next()).toEqual([{ id: "a", version: 1 }]);
  });

  it("closes a subscriber that falls too far behind, without touching the others", async () => {
    const hub = perIdHub(2, 3);
    const slow = hub.subscribe();
    const fast = hub.subscribe();
    for (let n = 0; n < 4; n++) {
      hub.publish([{ id: `o-${n}`, version: 1 }]);
      expect(await fast.next()).toEqual([{ id: `o-${n}`, version: 1 }]);
    }
    expect(slow.overflowed).toBe(true);
    expect(await slow.next()).toBeUndefined();
    expect(fast.overflowed).toBe(false);
    expect(hub.size).toBe(1);
  });

  it("ends waiting subscribers on closeAll", async () => {
    const hub = perIdHub(2, 3);
    const waiting = hub.subscribe().next();
    hub.closeAll();
    expect(await waiting).toBeUndefined();
  });
});
