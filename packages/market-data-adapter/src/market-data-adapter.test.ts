import { ValidationError } from "@tse/field-checks";
import { InMemoryMetrics } from "@tse/metrics-port";
import { afterEach, describe, expect, it } from "vitest";
import { sampleCandle } from "./contract/candle-repository.contract.js";
import { samplePriceFeed } from "./contract/price-feed-repository.contract.js";
import { sampleQuote } from "./contract/quote-store.contract.js";
import { sampleSnapshot } from "./contract/snapshot-repository.contract.js";
import { createMarketDataAdapter, type MarketDataAdapter } from "./market-data-adapter.js";
import { PERSISTENCE_METRICS } from "./write-behind/buffered-writes.js";

const identity = { schema: "market_data_sim_a", redisNamespace: "market:data:sim:a:" };

describe("createMarketDataAdapter without POSTGRES_URL / REDIS_URL", () => {
  let adapter: MarketDataAdapter | undefined;
  afterEach(async () => {
    await adapter?.close(1_000);
    adapter = undefined;
  });

  it("runs on the in-memory stores, reports them in health, and disables both probes", async () => {
    adapter = createMarketDataAdapter({ identity, postgresUrl: "", redisUrl: "  " });
    await adapter.connect();
    expect(adapter.backends).toEqual({ database: "memory", keyValue: "memory" });
    const health = await adapter.health();
    expect(health.ok).toBe(true);
    expect(health.postgres).toEqual({ ok: true, detail: "memory" });
    expect(health.redis).toEqual({ ok: true, detail: "memory" });
    expect(adapter.readinessProbes()).toEqual({ postgres: "disabled", redis: "disabled" });
    await adapter.quotes.publishQuotes([sampleQuote()]);
    expect((await adapter.quotes.latestQuote("BTC-USD"))?.last).toBe(sampleQuote().last);
  });

  it("writes buffered rows on flush, replaces a re-enqueued open candle, and counts the rows", async () => {
    const metrics = new InMemoryMetrics();
    adapter = createMarketDataAdapter({ identity, metrics, writes: { flushIntervalMs: 60_000 } });
    await adapter.connect();
    adapter.writes.enqueuePriceFeeds([samplePriceFeed(1), samplePriceFeed(2)]);
    adapter.writes.enqueueSnapshots([sampleSnapshot(1)]);
    adapter.writes.enqueueCandles([sampleCandle(0, { close: 100.5 })]);
    adapter.writes.enqueueCandles([sampleCandle(0, { close: 101.5, high: 102 })]);
    expect(adapter.writes.status().buffered).toEqual({
      price_feeds: 2,
      market_snapshots: 1,
      candles: 1,
    });
    expect(metrics.gauge(PERSISTENCE_METRICS.buffered, { table: "price_feeds" })).toBe(2);
    expect(await adapter.priceFeeds.query({})).toHaveLength(0);

    await adapter.writes.flush();
    expect(await adapter.priceFeeds.query({})).toHaveLength(2);
    expect(await adapter.snapshots.query({})).toHaveLength(1);
    const candles = await adapter.candles.query({ symbol: "BTC-USD", interval: "1m" });
    expect(candles.map((c) => c.close)).toEqual([101.5]);
    expect(metrics.counter(PERSISTENCE_METRICS.written, { table: "price_feeds" })).toBe(2);
    expect(metrics.counter(PERSISTENCE_METRICS.written, { table: "candles" })).toBe(1);
    expect(metrics.gauge(PERSISTENCE_METRICS.buffered, { table: "price_feeds" })).toBe(0);
    expect(metrics.errors()).toEqual([]);
  });

  it("refuses a batch with one bad row before queueing any of it", async () => {
    adapter = createMarketDataAdapter({ identity });
    await adapter.connect();
    const writes = adapter.writes;
    expect(() =>
      writes.enqueueCandles([sampleCandle(0), sampleCandle(1, { high: 90, low: 95 })]),
    ).toThrow(ValidationError);
    expect(() => writes.enqueuePriceFeeds([samplePriceFeed(0, { price: -1 })])).toThrow(
      /priceFeeds\[0\]\.price/,
    );
    expect(() => writes.enqueueSnapshots([sampleSnapshot(0, { symbol: "btc" })])).toThrow(
      /snapshots\[0\]\.symbol/,
    );
    expect(() => writes.enqueueCandles([sampleCandle(0, { interval: "2m" as never })])).toThrow(
      /candles\[0\]\.interval/,
    );
    expect(writes.status().buffered).toEqual({ price_feeds: 0, market_snapshots: 0, candles: 0 });
  });

  it("close() writes what is buffered, is idempotent, and refuses later writes", async () => {
    adapter = createMarketDataAdapter({ identity, writes: { flushIntervalMs: 60_000 } });
    await adapter.connect();
    adapter.writes.enqueuePriceFeeds([samplePriceFeed(1)]);
    const first = adapter.close(1_000);
    expect(adapter.close(1_000)).toBe(first);
    expect(await first).toEqual({ flushed: true, unwritten: {} });
    expect(await adapter.priceFeeds.query({})).toHaveLength(1);
    expect(() => adapter?.writes.enqueuePriceFeeds([samplePriceFeed(2)])).toThrow(/closed/);
  });
});
