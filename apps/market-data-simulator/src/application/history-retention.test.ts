import { MemoryPriceFeedRepository } from "@tse/market-data-adapter";
import { describe, expect, it } from "vitest";
import { HistoryRetention } from "./history-retention.js";

const HOUR = 3_600_000;

async function repositoryWithFeedsAt(hoursAgo: readonly number[], now: number) {
  const feeds = new MemoryPriceFeedRepository();
  await feeds.insertBatch(
    hoursAgo.map((ago) => ({
      symbol: "BTC-USD",
      price: 100,
      bid: 99.9,
      ask: 100.1,
      volume24h: 1,
      timestamp: new Date(now - ago * HOUR),
    })),
  );
  return feeds;
}

describe("HistoryRetention", () => {
  it("deletes what is older than the retention on the simulated clock, and only that", async () => {
    const now = Date.UTC(2030, 0, 1);
    const feeds = await repositoryWithFeedsAt([30, 25, 23, 1], now);
    const deleted: number[] = [];
    const retention = new HistoryRetention(
      {
        history: feeds,
        simulatedNow: () => now,
        onDeleted: (count) => deleted.push(count),
        onError: (error) => {
          throw error;
        },
      },
      { retentionMs: 24 * HOUR, sweepIntervalMs: 60_000 },
    );
    expect(await retention.sweep()).toBe(2);
    expect(deleted).toEqual([2]);
    const left = await feeds.query({ symbol: "BTC-USD", order: "asc" });
    expect(left.map((feed) => (now - feed.timestamp.getTime()) / HOUR)).toEqual([23, 1]);
    expect(await retention.sweep()).toBe(0);
    expect(deleted).toEqual([2]);
  });

  it("runs one sweep at a time and reports a failure without throwing", async () => {
    let release: (count: number) => void = () => {};
    let calls = 0;
    const errors: unknown[] = [];
    const retention = new HistoryRetention(
      {
        history: {
          deleteOlderThan: () => {
            calls += 1;
            return calls === 1
              ? new Promise<number>((resolve) => {
                  release = resolve;
                })
              : Promise.reject(new Error("database down"));
          },
        },
        simulatedNow: () => 0,
        onDeleted: () => {},
        onError: (error) => errors.push(error),
      },
      { retentionMs: HOUR, sweepIntervalMs: 60_000 },
    );
    const first = retention.sweep();
    expect(await retention.sweep()).toBe(0);
    expect(calls).toBe(1);
    release(3);
    expect(await first).toBe(3);
    expect(await retention.sweep()).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it("refuses a retention or interval that is not positive", () => {
    const ports = {
      history: { deleteOlderThan: async () => 0 },
      simulatedNow: () => 0,
      onDeleted: () => {},
      onError: () => {},
    };
    expect(() => new HistoryRetention(ports, { retentionMs: 0, sweepIntervalMs: 1 })).toThrow(
      RangeError,
    );
    expect(() => new HistoryRetention(ports, { retentionMs: 1, sweepIntervalMs: 0 })).toThrow(
      RangeError,
    );
  });
});
