import { createMarketDataAdapter, type MarketDataAdapter } from "@tse/market-data-adapter";
import { InMemoryMetrics } from "@tse/metrics-port";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MarketSimulator } from "../domain/engine/market-simulator.js";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import { backfillHistory } from "./backfill-history.js";
import { FEED_METRICS, MarketFeed } from "./market-feed.js";
import { createCandleHub, createQuoteHub } from "./market-streams.js";

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

describe("backfillHistory", () => {
  let adapter: MarketDataAdapter | undefined;
  afterEach(async () => {
    await adapter?.close(1_000);
  });

  /** A memory adapter whose write buffer holds 500 rows: a day of 1 symbol is ~1 860 candles. */
  function smallBufferAdapter() {
    adapter = createMarketDataAdapter({
      identity: { schema: "public", redisNamespace: "market:data:" },
      writes: { maxBufferedRows: 500, flushIntervalMs: 60_000 },
    });
    return adapter;
  }

  it("stores every candle of a history longer than the write buffer holds", async () => {
    const store = smallBufferAdapter();
    const simulator = new MarketSimulator({
      universe: buildUniverse(["BTC-USD"]),
      seed: 7,
      startTime: T0,
    });
    const flushErrors: unknown[] = [];
    const { candles: backfilled } = await backfillHistory(simulator, store.writes, {
      until: T0 + DAY,
      stepMs: 5_000,
      flushEveryRows: 200,
      onFlushError: (error) => flushErrors.push(error),
      metrics: new InMemoryMetrics(),
      log: () => undefined,
    });
    await store.writes.flush();

    const minutes = await store.candles.query({
      symbol: "BTC-USD",
      interval: "1m",
      limit: 10_000,
      order: "asc",
    });
    expect(backfilled).toBeGreaterThan(1_800);
    expect(minutes).toHaveLength(1_440);
    expect(minutes[0]?.startTime.getTime()).toBe(T0);
    expect(store.writes.status().dropped).toEqual({
      price_feeds: 0,
      market_snapshots: 0,
      candles: 0,
    });
    expect(flushErrors).toEqual([]);
    expect(simulator.now).toBe(T0 + DAY);
  });

  it("ends exactly at until, with a last step shorter than the others when it must", async () => {
    const store = smallBufferAdapter();
    const simulator = new MarketSimulator({
      universe: buildUniverse(["BTC-USD"]),
      seed: 7,
      startTime: T0,
    });
    await backfillHistory(simulator, store.writes, {
      until: T0 + 3_600_000 + 2_500,
      stepMs: 5_000,
      flushEveryRows: 200,
      onFlushError: () => undefined,
      metrics: new InMemoryMetrics(),
      log: () => undefined,
    });
    expect(simulator.now).toBe(T0 + 3_600_000 + 2_500);
  });

  it("hands the live feed a clock that meets real time after start-up (issue 19 item 5)", async () => {
    const store = smallBufferAdapter();
    // Real time when start-up began; the simulator starts an hour of history before it.
    let real = T0 + DAY + 1_234;
    const simulator = new MarketSimulator({
      universe: buildUniverse(["BTC-USD", "ETH-USD"]),
      seed: 7,
      startTime: real - 3_600_000,
    });
    const backfillStartedAt = real;
    await backfillHistory(simulator, store.writes, {
      until: backfillStartedAt,
      stepMs: 5_000,
      flushEveryRows: 1_000,
      onFlushError: () => undefined,
      metrics: new InMemoryMetrics(),
      log: () => undefined,
    });
    const limits = { maxSubscribers: 1, maxSymbolsPerSubscription: 2 };
    const feed = new MarketFeed(
      {
        simulator,
        hub: createQuoteHub(limits),
        candleHub: createCandleHub(limits),
        metrics: new InMemoryMetrics(),
        history: store.writes,
        quotes: store.quotes,
        now: () => real,
        log: () => undefined,
      },
      {
        tickIntervalMs: 100,
        speed: 1,
        priceFeedPersistIntervalMs: 1_000,
        snapshotIntervalMs: 60_000,
      },
    );
    // Start-up took 2.7 s after the backfill's target; the timer is not needed to tick.
    real += 2_700;
    feed.start(backfillStartedAt);
    await feed.stop();
    for (let i = 0; i < 10; i++) {
      real += 100;
      feed.tick();
      expect(simulator.quote("BTC-USD")?.timestamp).toBe(real);
    }
  });

  it("counts and logs a step that throws and backfills the rest", async () => {
    const store = smallBufferAdapter();
    const simulator = new MarketSimulator({
      universe: buildUniverse(["BTC-USD"]),
      seed: 7,
      startTime: T0,
    });
    const advance = simulator.advance.bind(simulator);
    // An hour of steps failing, as a price of 0 once did, in the middle of the day.
    vi.spyOn(simulator, "advance").mockImplementation((t) => {
      if (t > T0 + 6 * 3_600_000 && t <= T0 + 7 * 3_600_000) {
        throw new RangeError("tick price must be a finite number > 0 (got 0)");
      }
      return advance(t);
    });
    const metrics = new InMemoryMetrics();
    const lines: string[] = [];
    const result = await backfillHistory(simulator, store.writes, {
      until: T0 + DAY,
      stepMs: 5_000,
      flushEveryRows: 200,
      onFlushError: () => undefined,
      metrics,
      log: (_level, message) => lines.push(message),
    });
    await store.writes.flush();
    expect(metrics.counter(FEED_METRICS.tickErrors, { phase: "backfill" })).toBe(720);
    expect(result.failedSteps).toBe(720);
    // One line for the 720 failures: summaries and the recovery wait for real time to pass,
    // and the backfill is faster (the caller reports `failedSteps` when it is done).
    expect(lines).toEqual(["backfilling history failing"]);
    const minutes = await store.candles.query({
      symbol: "BTC-USD",
      interval: "1m",
      limit: 10_000,
      order: "asc",
    });
    expect(minutes.at(-1)?.startTime.getTime()).toBeGreaterThan(T0 + DAY - 3 * 60_000);
  });
});
