import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer.js";

describe("RingBuffer", () => {
  it("keeps the most recent items, oldest first", () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.latest()).toEqual([]);
    expect(ring.oldest()).toBeUndefined();
    ring.push(1);
    ring.push(2);
    expect(ring.latest()).toEqual([1, 2]);
    expect(ring.oldest()).toBe(1);
    for (const n of [3, 4, 5]) ring.push(n);
    expect(ring.size).toBe(3);
    expect(ring.latest()).toEqual([3, 4, 5]);
    expect(ring.oldest()).toBe(3);
    expect(ring.latest(2)).toEqual([4, 5]);
    expect(ring.latest(10)).toEqual([3, 4, 5]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
