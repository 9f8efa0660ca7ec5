import { createMarketDataAdapter, type MarketDataAdapter } from "@tse/market-data-adapter";
import { InMemoryMetrics } from "@tse/metrics-port";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MarketSimulator } from "../domain/engine/market-simulator.js";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import { FEED_METRICS, FEED_STEP_LIMITS, MarketFeed } from "./market-feed.js";
import { createCandleHub, createQuoteHub } from "./market-streams.js";

const T0 = Date.UTC(2026, 10, 23);

describe("MarketFeed", () => {
  let adapter: MarketDataAdapter | undefined;
  afterEach(async () => {
    await adapter?.close(1_000);
  });

  function setup(overrides: { failQuotes?: boolean; speed?: number } = {}) {
    adapter = createMarketDataAdapter({
      identity: { schema: "public", redisNamespace: "market:data:" },
      writes: { flushIntervalMs: 60_000 },
    });
    const simulator = new MarketSimulator({
      universe: buildUniverse(["BTC-USD", "ETH-USD"]),
      seed: 5,
      startTime: T0,
    });
    const hub = createQuoteHub({ maxSubscribers: 10, maxSymbolsPerSubscription: 10 });
    const candleHub = createCandleHub({ maxSubscribers: 10, maxSymbolsPerSubscription: 10 });
    const metrics = new InMemoryMetrics();
    const lines: { level: string; message: string; fields: Readonly<Record<string, unknown>> }[] =
      [];
    let now = 1_000_000;
    const quotes = overrides.failQuotes
      ? { publishQuotes: () => Promise.reject(new Error("redis down")) }
      : adapter.quotes;
    const feed = new MarketFeed(
      {
        simulator,
        hub,
        candleHub,
        metrics,
        history: adapter.writes,
        quotes,
        now: () => now,
        log: (level, message, fields) => lines.push({ level, message, fields }),
      },
      {
        tickIntervalMs: 100,
        speed: overrides.speed ?? 10,
        priceFeedPersistIntervalMs: 1_000,
        snapshotIntervalMs: 60_000,
      },
    );
    const advance = (ticks: number, everyMs = 100) => {
      for (let i = 0; i < ticks; i++) {
        now += everyMs;
        feed.tick();
      }
    };
    /** Ticks like {@link advance}, letting each tick's publish settle before the next. */
    const advanceSettled = async (ticks: number) => {
      for (let i = 0; i < ticks; i++) {
        now += 100;
        feed.tick();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const setNow = (ms: number) => {
      now = ms;
    };
    return {
      adapter,
      simulator,
      hub,
      candleHub,
      metrics,
      lines,
      feed,
      advance,
      advanceSettled,
      setNow,
    };
  }

  it("advances simulated time by real time × speed and fans quotes out to subscribers", async () => {
    const { simulator, hub, advance, metrics } = setup();
    const subscription = hub.subscribe(["BTC-USD"]);
    advance(10);
    expect(simulator.now).toBe(T0 + 10 * 100 * 10);
    const batch = await subscription.next();
    expect(batch?.map((q) => q.symbol)).toEqual(["BTC-USD"]);
    expect(batch?.[0]?.sequence).toBe(10);
    expect(
      metrics.counter(FEED_METRICS.priceUpdates, { symbol: "BTC-USD", source: "simulator" }),
    ).toBe(10);
  });

  it("catches up on its first tick the real time start-up took since the simulator's clock was set", async () => {
    const { simulator, feed, advance, setNow } = setup();
    // The simulator's clock (T0) was set at real time 1 000 000; start-up took 4 s.
    setNow(1_004_000);
    feed.start(1_000_000);
    await feed.stop();
    advance(1);
    expect(simulator.now).toBe(T0 + (4_000 + 100) * 10);
  });

  it("stores closed candles, a price feed per symbol per interval and periodic snapshots", async () => {
    const { adapter: a, advance, metrics, feed } = setup();
    advance(1_200); // 2 real minutes of 100 ms ticks at speed 10: 20 simulated minutes
    await feed.stop();
    await a.writes.flush();
    const candles = await a.candles.query({ symbol: "BTC-USD", interval: "1m" });
    expect(candles.length).toBeGreaterThanOrEqual(19);
    expect(metrics.counter(FEED_METRICS.candles, { symbol: "BTC-USD", interval: "1m" })).toBe(
      candles.length,
    );
    // One feed per simulated second per symbol: 1 200 each.
    expect(await a.priceFeeds.query({ symbol: "ETH-USD", limit: 10_000 })).toHaveLength(1_200);
    // Snapshots every simulated minute: 20 each.
    expect(await a.snapshots.query({ symbol: "BTC-USD", limit: 100 })).toHaveLength(20);
    expect(metrics.counter(FEED_METRICS.snapshots, { symbol: "BTC-USD" })).toBe(20);
    const latest = await a.quotes.latestQuote("BTC-USD");
    expect(latest?.sequence).toBeGreaterThan(1_000);
  });

  it("publishes open candles as they change and closed candles once, without losing a close", async () => {
    const { candleHub, advance } = setup();
    const subscription = candleHub.subscribe(["BTC-USD"]);
    // 100 simulated seconds without reading: the 1m candle closes once meanwhile.
    advance(100);
    const batch = (await subscription.next()) ?? [];
    const closed = batch.filter((u) => u.closed);
    expect(closed.map((u) => u.candle.interval)).toEqual(["1m"]);
    const open = batch.filter((u) => !u.closed).map((u) => u.candle.interval);
    expect(open).toEqual(["1m", "5m", "15m", "1h", "4h", "1d"]);
    expect(batch.every((u) => u.symbol === "BTC-USD")).toBe(true);
  });

  it("gives every 1m period its candle at SIMULATION_SPEED=3600: a tick advances in sub-steps", async () => {
    const { simulator, candleHub, advance, metrics } = setup({ speed: 3_600 });
    const subscription = candleHub.subscribe(["BTC-USD"]);
    // 100 ticks of 100 ms: six simulated minutes each, ten hours in all; a subscriber reading
    // after each tick gets every closed candle of every sub-step.
    let streamedCloses = 0;
    for (let i = 0; i < 100; i++) {
      advance(1);
      const batch = (await subscription.next()) ?? [];
      streamedCloses += batch.filter((u) => u.closed && u.candle.interval === "1m").length;
    }
    expect(simulator.now).toBe(T0 + 100 * 360_000);
    // 600 closed minutes and the one the last sub-step opened at T0 + 10 h.
    const minutes = simulator.candles("BTC-USD", "1m", { limit: 5_000 }) ?? [];
    expect(minutes).toHaveLength(601);
    const starts = minutes.map((candle) => candle.start);
    expect(
      starts.every((start, i) => i === 0 || start - (starts[i - 1] as number) === 60_000),
    ).toBe(true);
    expect(metrics.counter(FEED_METRICS.candles, { symbol: "BTC-USD", interval: "1m" })).toBe(600);
    expect(streamedCloses).toBe(600);
  });

  it("bounds the work of one tick after a stall and catches up over the next ticks", () => {
    const { simulator, advance, setNow } = setup({ speed: 10 });
    const start = simulator.now;
    const spy = vi.spyOn(simulator, "advance");
    // An hour without a tick (the event loop stalled) is ten simulated hours at speed 10.
    setNow(1_000_000 + 3_600_000);
    advance(1);
    expect(spy).toHaveBeenCalledTimes(FEED_STEP_LIMITS.maxStepsPerTick);
    expect(simulator.now - start).toBe(
      FEED_STEP_LIMITS.maxStepsPerTick * FEED_STEP_LIMITS.maxStepMs,
    );
    // 36 000 000 simulated ms are owed: 5 000 000 per tick at most, so 8 ticks in all.
    advance(7);
    expect(simulator.now - start).toBe(36_000_000 + 8 * 100 * 10);
    spy.mockClear();
    advance(1);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("keeps ticking when publishing quotes fails, logging the outage once, then a summary a minute", async () => {
    const { simulator, lines, feed, advanceSettled } = setup({ failQuotes: true });
    // Five minutes of 100 ms ticks with Redis down (issue 19: a line with a stack per tick).
    await advanceSettled(3_000);
    await feed.stop();
    expect(simulator.now).toBe(T0 + 3_000 * 1_000);
    const messages = lines.map((line) => line.message);
    expect(messages[0]).toBe("publishing quotes failing");
    expect(lines[0]?.fields.err).toBeInstanceOf(Error);
    expect(String(lines[0]?.fields.err)).toBe("Error: redis down");
    expect(messages.slice(1).every((m) => m === "publishing quotes still failing")).toBe(true);
    expect(messages.length).toBeGreaterThanOrEqual(4);
    expect(messages.length).toBeLessThanOrEqual(6);
  });

  it("logs and counts a step that throws, and goes on with the next tick", async () => {
    const { simulator, lines, metrics, advance, feed } = setup();
    const advanceMarket = simulator.advance.bind(simulator);
    const spy = vi.spyOn(simulator, "advance");
    for (let i = 0; i < 3; i++) {
      spy.mockImplementationOnce(() => {
        throw new RangeError("tick price must be a finite number > 0 (got 0)");
      });
    }
    advance(3);
    spy.mockImplementation(advanceMarket);
    advance(2);
    await feed.stop();
    expect(metrics.counter(FEED_METRICS.tickErrors, { phase: "live" })).toBe(3);
    expect(lines.map((line) => line.message)).toEqual(["advancing the market failing"]);
    // The failed steps did not move the clock: the next tick simulated their time too.
    expect(simulator.now).toBe(T0 + 5 * 1_000);
  });
});
