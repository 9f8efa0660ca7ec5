import { fileURLToPath } from "node:url";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import {
  deriveRedisNamespace,
  deriveSchema,
  discoveryKey,
  quoteIdentifier,
} from "@tse/instance-naming";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@tse/proto/grpc/health/v1/health_pb";
import { MarketDataService as LegacyMarketDataService } from "@tse/proto/marketdata/market_data_pb";
import { BatchKind, Interval, MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import {
  type SpawnedService,
  scrapeMetric,
  spawnService,
  type TrackedStream,
  trackStream,
  until,
} from "@tse/service-kit/testing";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  startTcpProxy,
  type TcpProxy,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const instance = `market-data-sim-shutdown-${process.pid}`;
const schema = quoteIdentifier(deriveSchema(instance));
const namespace = deriveRedisNamespace("market-data-simulator", instance);
const SHUTDOWN_TIMEOUT_MS = 10_000;

describeWithPostgresAndRedis("market-data-simulator graceful shutdown (process)", () => {
  let sql: postgres.Sql;
  let redis: RedisConnection;
  // The simulator reaches Postgres through this proxy, so the test can hold writes back.
  let proxy: TcpProxy;
  let service: SpawnedService | undefined;

  beforeAll(async () => {
    sql = openTestPool();
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    redis = createRedisConnection({ url: TEST_REDIS_URL, namespace, onError: () => undefined });
    await redis.connect();
  });
  afterAll(async () => {
    await service?.stop("SIGKILL");
    await proxy?.close();
    await sql?.unsafe(`drop schema if exists ${schema} cascade`);
    await sql?.end({ timeout: 5 });
    if (redis !== undefined) {
      await deleteKeysMatching(redis, `${namespace}*`);
      await redis.client.unlink(discoveryKey("market-data-simulator", instance));
      await redis.close();
    }
  });

  it("on SIGTERM with 100 open streams and buffered writes: NOT_SERVING at once, clean stream ends, rows flushed, deregistered, exit 0 in time", async () => {
    service = await spawnService(entry, {
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: proxy.url,
      REDIS_URL: TEST_REDIS_URL,
      HISTORY_BACKFILL_HOURS: "0",
      // 60 simulated seconds per second: a 1m candle closes every second.
      SIMULATION_SPEED: "60",
      TICK_INTERVAL_MS: "100",
      // Every tick's quote is stored as a price feed (a tick is 6 simulated seconds).
      PRICE_FEED_PERSIST_INTERVAL_MS: "100",
      HEALTH_CHECK_INTERVAL: "2",
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: "info",
    });
    const running = service;
    const httpBase = `http://127.0.0.1:${running.httpPort}`;
    const grpcBase = `http://127.0.0.1:${running.grpcPort}`;
    await until(async () => ((await fetch(`${httpBase}/api/v1/ready`)).ok ? true : undefined));
    const registered = async () =>
      (await redis.client.get(discoveryKey("market-data-simulator", instance))) ?? undefined;
    await until(registered);

    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcBase }));
    const healthStatuses: { status: ServingStatus; at: number }[] = [];
    const watching = trackStream(async (onMessage) => {
      for await (const response of health.watch({ service: "" })) {
        healthStatuses.push({ status: response.status, at: Date.now() });
        onMessage();
      }
    });

    // 100 streams over every protocol the simulator streams on.
    const quotesSeen = new Set<string>();
    let newestQuoteAt = 0;
    // Quotes first seen while Postgres was unreachable: their rows could only be buffered.
    const quotesSeenWhileHeldBack = new Set<string>();
    let writesHeldBack = false;
    const candlesSeen = new Map<string, number>();
    // 1m candles closed per symbol while Postgres was unreachable (their rows were buffered).
    const closedWhileHeldBack = new Map<string, number>();
    const streams: { kind: string; stream: TrackedStream }[] = [];
    const open = (kind: string, consume: (onMessage: () => void) => Promise<void>) =>
      streams.push({ kind, stream: trackStream(consume) });
    for (let transport = 0; transport < 4; transport += 1) {
      const client = createClient(MarketDataService, createGrpcTransport({ baseUrl: grpcBase }));
      for (let i = 0; i < 10; i += 1) {
        open("v1 prices, gRPC", async (onMessage) => {
          for await (const response of client.streamPrices({})) {
            onMessage();
            if (response.kind !== BatchKind.UPDATE) continue;
            for (const quote of response.updates) {
              if (quote.timestamp === undefined) continue;
              newestQuoteAt = Math.max(newestQuoteAt, timestampMs(quote.timestamp));
              const key = `${quote.symbol}@${timestampMs(quote.timestamp)}`;
              if (writesHeldBack && !quotesSeen.has(key)) quotesSeenWhileHeldBack.add(key);
              quotesSeen.add(key);
            }
          }
        });
      }
    }
    const connectH2 = createClient(
      MarketDataService,
      createConnectTransport({ baseUrl: httpBase, httpVersion: "2" }),
    );
    for (let i = 0; i < 20; i += 1) {
      open("v1 candles, Connect h2", async (onMessage) => {
        for await (const response of connectH2.streamCandles({
          intervals: [Interval.INTERVAL_1M],
        })) {
          onMessage();
          for (const candle of response.candles) {
            if (!candle.closed || candle.startTime === undefined) continue;
            const key = `${candle.symbol}@${timestampMs(candle.startTime)}`;
            if (writesHeldBack && !candlesSeen.has(key)) {
              closedWhileHeldBack.set(
                candle.symbol,
                (closedWhileHeldBack.get(candle.symbol) ?? 0) + 1,
              );
            }
            candlesSeen.set(key, candle.close);
          }
        }
      });
    }
    const legacy = createClient(
      LegacyMarketDataService,
      createConnectTransport({ baseUrl: httpBase, httpVersion: "1.1" }),
    );
    for (let i = 0; i < 20; i += 1) {
      open("legacy prices, Connect HTTP/1.1", async (onMessage) => {
        for await (const _ of legacy.streamPrices({
          symbols: ["BTC-USD"],
          updateIntervalMs: 200,
        })) {
          onMessage();
        }
      });
    }
    for (let i = 0; i < 20; i += 1) {
      open("SSE", async (onMessage) => {
        const response = await fetch(`${httpBase}/api/v1/stream/prices?symbols=BTC,ETH`);
        if (response.status !== 200 || response.body === null) {
          throw new Error(`SSE answered ${response.status}`);
        }
        // An abrupt reset makes read() throw ("terminated"); a clean end makes it done.
        for await (const _ of response.body) onMessage();
      });
    }
    expect(streams).toHaveLength(100);
    await until(
      async () =>
        streams.every(({ stream }) => stream.messages >= 2) && watching.messages >= 1
          ? true
          : undefined,
      60_000,
    );
    expect(healthStatuses.at(-1)?.status).toBe(ServingStatus.SERVING);

    // Hold writes back: Postgres is unreachable, rows pile up in the write-behind buffer.
    proxy.cut();
    writesHeldBack = true;
    const bufferedRows = async (table: string) =>
      (await scrapeMetric(running.httpPort, "market_data_persistence_rows_buffered", [
        `table="${table}"`,
      ])) ?? 0;
    // At least two 1m candles closed per symbol, and ten ticks of price feeds, all held back.
    // (The buffered row count alone does not say so: one close can also close 5m, 15m and 1h.)
    await until(
      async () =>
        ["BTC-USD", "ETH-USD", "SOL-USD"].every((s) => (closedWhileHeldBack.get(s) ?? 0) >= 2) &&
        (await bufferedRows("candles")) >= 6 &&
        (await bufferedRows("price_feeds")) >= 30
          ? true
          : undefined,
      60_000,
    );

    writesHeldBack = false;
    const signalledAt = Date.now();
    const exited = running.stop("SIGTERM");
    const notServing = await until(
      async () => healthStatuses.find((s) => s.status === ServingStatus.NOT_SERVING),
      SHUTDOWN_TIMEOUT_MS,
      10,
    );
    // Postgres is back while the service drains: the shutdown flush must write everything.
    proxy.restore();
    const ends = await Promise.all(
      streams.map(async ({ kind, stream }) => ({ kind, error: await stream.ended })),
    );
    const code = await exited;
    const exitedAfterMs = Date.now() - signalledAt;

    expect(code).toBe(0);
    expect(exitedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // Health watchers hear NOT_SERVING at once, then their stream ends like the others. (Only
    // the delay is bounded: on a loaded machine the client sees ends on other connections in
    // any order relative to it.)
    expect(healthStatuses.map((s) => s.status)).toEqual([
      ServingStatus.SERVING,
      ServingStatus.NOT_SERVING,
    ]);
    expect(notServing.at - signalledAt).toBeLessThan(2_000);
    // Every stream ended with a clean status: no error, no reset.
    expect(ends.filter((e) => e.error !== undefined)).toEqual([]);
    expect(await watching.ended).toBeUndefined();

    expect(await registered()).toBeUndefined();
    const output = running.output();
    expect(output).toContain('"clean":true');
    expect(output).not.toContain("unhandled promise rejection");

    // Every quote the streams saw is stored as a price feed, every closed candle as a candle,
    // each exactly once — the buffered ones included.
    const feeds = (await sql.unsafe(
      `select symbol, (extract(epoch from "timestamp") * 1000)::float8 as at from ${schema}.price_feeds`,
    )) as unknown as { symbol: string; at: number }[];
    const storedFeeds = new Set(feeds.map((f) => `${f.symbol}@${f.at}`));
    expect(storedFeeds.size).toBe(feeds.length);
    expect(quotesSeenWhileHeldBack.size).toBeGreaterThanOrEqual(3);
    expect([...quotesSeen].filter((q) => !storedFeeds.has(q))).toEqual([]);

    const candles = (await sql.unsafe(
      `select symbol, (extract(epoch from start_time) * 1000)::float8 as start, close::float8 as close
       from ${schema}.candles where "interval" = '1m' order by symbol, start_time`,
    )) as unknown as { symbol: string; start: number; close: number }[];
    const storedCandles = new Map(candles.map((c) => [`${c.symbol}@${c.start}`, c.close]));
    expect(storedCandles.size).toBe(candles.length);
    for (const [key, close] of candlesSeen) {
      expect(storedCandles.get(key), key).toBeCloseTo(close, 6);
    }
    // Every 1m candle closed before the newest quote the streams saw is stored, without a gap.
    const lastClosed = Math.floor(newestQuoteAt / 60_000) * 60_000 - 60_000;
    for (const symbol of ["BTC-USD", "ETH-USD", "SOL-USD"]) {
      const starts = candles.filter((c) => c.symbol === symbol).map((c) => c.start);
      expect(starts.at(-1)).toBeGreaterThanOrEqual(lastClosed);
      const steps = new Set(starts.slice(1).map((s, i) => s - (starts[i] ?? s)));
      expect([...steps]).toEqual([60_000]);
    }
  }, 120_000);
});
