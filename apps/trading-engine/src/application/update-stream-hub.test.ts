import { describe, expect, it } from "vitest";
import { StreamLimitError, UpdateStreamHub } from "./update-stream-hub.js";

interface Item {
  readonly id: string;
  readonly version: number;
}

describe("UpdateStreamHub", () => {
  it("delivers each key once in its latest state, in the order of the last change", async () => {
    const hub = new UpdateStreamHub<Item>((i) => i.id, { maxSubscribers: 2, maxQueue: 10 });
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

  it("filters per subscriber and refuses past the subscriber limit", () => {
    const hub = new UpdateStreamHub<Item>((i) => i.id, { maxSubscribers: 1, maxQueue: 10 });
    hub.subscribe((i) => i.id === "a");
    expect(() => hub.subscribe()).toThrow(StreamLimitError);
  });

  it("closes a subscriber that falls too far behind, without touching the others", async () => {
    const hub = new UpdateStreamHub<Item>((i) => i.id, { maxSubscribers: 2, maxQueue: 3 });
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
    const hub = new UpdateStreamHub<Item>((i) => i.id, { maxSubscribers: 2, maxQueue: 3 });
    const waiting = hub.subscribe().next();
    hub.closeAll();
    expect(await waiting).toBeUndefined();
  });
});
