import { describe, expect, it } from "vitest";
import { WriteBehindBuffer, type WriteLane } from "./write-behind-buffer.js";

interface Row {
  readonly id: string;
  readonly value: number;
}

/** A store that records batches and can be switched off to simulate an outage. */
class FlakyStore {
  up = true;
  readonly batches: Row[][] = [];
  lane(dropPriority: number, keyed = false): WriteLane<Row> {
    return {
      dropPriority,
      ...(keyed ? { key: (row: Row) => row.id } : {}),
      write: async (rows) => {
        if (!this.up) throw new Error("connection refused");
        this.batches.push([...rows]);
      },
    };
  }
  rows(): Row[] {
    return this.batches.flat();
  }
}

const options = {
  maxBufferedRows: 10,
  batchSize: 3,
  flushIntervalMs: 60_000,
  initialRetryDelayMs: 1,
  maxRetryDelayMs: 4,
};

function rows(prefix: string, count: number): Row[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}`, value: index }));
}

describe("WriteBehindBuffer", () => {
  it("writes queued rows in enqueue order, in batches", async () => {
    const store = new FlakyStore();
    const buffer = new WriteBehindBuffer({ feeds: store.lane(0) }, options);
    buffer.enqueue("feeds", rows("f", 7));
    await buffer.flush();
    expect(store.batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(store.rows().map((row) => row.id)).toEqual(rows("f", 7).map((row) => row.id));
    expect(buffer.status()).toMatchObject({
      healthy: true,
      buffered: { feeds: 0 },
      written: { feeds: 7 },
    });
  });

  it("keeps rows through an outage, reports it, and writes them all when the store returns", async () => {
    const store = new FlakyStore();
    const buffer = new WriteBehindBuffer(
      { candles: store.lane(2, true), feeds: store.lane(0) },
      options,
    );
    store.up = false;
    buffer.enqueue("candles", rows("c", 2));
    buffer.enqueue("feeds", rows("f", 2));
    await expect(buffer.flush()).rejects.toThrow("connection refused");
    expect(buffer.status()).toMatchObject({
      healthy: false,
      lastError: "connection refused",
      buffered: { candles: 2, feeds: 2 },
    });
    store.up = true;
    await buffer.flush();
    expect(buffer.status()).toMatchObject({
      healthy: true,
      lastError: undefined,
      buffered: { candles: 0, feeds: 0 },
    });
    expect(
      store
        .rows()
        .map((row) => row.id)
        .sort(),
    ).toEqual(["c0", "c1", "f0", "f1"]);
  });

  it("replaces a keyed row while it waits, so the latest value is written once", async () => {
    const store = new FlakyStore();
    const buffer = new WriteBehindBuffer({ candles: store.lane(2, true) }, options);
    buffer.enqueue("candles", [{ id: "BTC-1m-0", value: 1 }]);
    buffer.enqueue("candles", [{ id: "BTC-1m-0", value: 2 }]);
    buffer.enqueue("candles", [{ id: "BTC-1m-0", value: 3 }]);
    await buffer.flush();
    expect(store.rows()).toEqual([{ id: "BTC-1m-0", value: 3 }]);
  });

  it("drops the oldest rows of the lowest priority first when full, and counts them", async () => {
    const store = new FlakyStore();
    const dropped: [string, number][] = [];
    const buffer = new WriteBehindBuffer(
      { candles: store.lane(2, true), snapshots: store.lane(1), feeds: store.lane(0) },
      { ...options, onDrop: (lane, count) => dropped.push([lane, count]) },
    );
    buffer.enqueue("candles", rows("c", 4));
    buffer.enqueue("snapshots", rows("s", 3));
    buffer.enqueue("feeds", rows("f", 3));
    buffer.enqueue("feeds", rows("g", 2));
    expect(buffer.status().buffered).toEqual({ candles: 4, snapshots: 3, feeds: 3 });
    buffer.enqueue("candles", rows("d", 5));
    expect(buffer.status().buffered).toEqual({ candles: 9, snapshots: 1, feeds: 0 });
    expect(buffer.status().dropped).toEqual({ candles: 0, snapshots: 2, feeds: 5 });
    expect(dropped).toEqual([
      ["feeds", 2],
      ["feeds", 3],
      ["snapshots", 2],
    ]);
    await buffer.flush();
    expect(store.rows().map((row) => row.id)).toEqual([
      "c0",
      "c1",
      "c2",
      "c3",
      "d0",
      "d1",
      "d2",
      "d3",
      "d4",
      "s2",
    ]);
  });

  it("keeps a row replaced while its batch was in flight", async () => {
    let release: () => void = () => undefined;
    const written: Row[] = [];
    const buffer = new WriteBehindBuffer(
      {
        candles: {
          dropPriority: 2,
          key: (row: Row) => row.id,
          write: async (batch) => {
            written.push(...batch);
            if (written.length === 1) await new Promise<void>((resolve) => (release = resolve));
          },
        },
      },
      options,
    );
    buffer.enqueue("candles", [{ id: "k", value: 1 }]);
    const flushing = buffer.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    buffer.enqueue("candles", [{ id: "k", value: 2 }]);
    release();
    await flushing;
    expect(buffer.status().buffered).toEqual({ candles: 0 });
    expect(written).toEqual([
      { id: "k", value: 1 },
      { id: "k", value: 2 },
    ]);
  });

  it("retries in the background with backoff until the store returns", async () => {
    const store = new FlakyStore();
    let failures = 0;
    const buffer = new WriteBehindBuffer(
      { feeds: store.lane(0) },
      { ...options, flushIntervalMs: 5, onWriteError: () => (failures += 1) },
    );
    store.up = false;
    buffer.start();
    buffer.enqueue("feeds", rows("f", 2));
    while (failures < 3) await new Promise((resolve) => setTimeout(resolve, 2));
    store.up = true;
    while (buffer.status().buffered.feeds !== 0)
      await new Promise((resolve) => setTimeout(resolve, 2));
    expect(store.rows()).toHaveLength(2);
    expect(await buffer.close(1_000)).toBe(true);
  });

  it("flushes on close, gives up at the deadline, and refuses rows afterwards", async () => {
    const store = new FlakyStore();
    const buffer = new WriteBehindBuffer({ feeds: store.lane(0) }, options);
    buffer.enqueue("feeds", rows("f", 4));
    store.up = false;
    expect(await buffer.close(20)).toBe(false);
    expect(buffer.status().buffered.feeds).toBe(4);
    expect(() => buffer.enqueue("feeds", rows("x", 1))).toThrow(/closed/);
    store.up = true;
    expect(await buffer.close(1_000)).toBe(true);
    expect(store.rows()).toHaveLength(4);
  });
});
