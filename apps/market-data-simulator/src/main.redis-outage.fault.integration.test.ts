import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { deriveRedisNamespace } from "@tse/instance-naming";
import { RedisQuoteStore } from "@tse/market-data-adapter";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { createRedisConnection, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import {
  describeWithPrivateRedis,
  type PrivateServer,
  startPrivateRedis,
  startTcpProxy,
  type TcpProxy,
} from "@tse/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const instance = `market-data-sim-redis-fault-${process.pid}`;
const namespace = deriveRedisNamespace("market-data-simulator", instance);
/** Long enough for the reconnect backoff (100 ms doubling, capped at 5 s) to reach its cap. */
const OUTAGE_MS = 10_000;

describeWithPrivateRedis("market-data-simulator when Redis goes away and returns", () => {
  let redisServer: PrivateServer;
  // The simulator reaches Redis through this proxy, which counts its connection attempts.
  let proxy: TcpProxy;
  // The test's own view of Redis, directly (its reconnects are not counted).
  let redis: RedisConnection;
  let service: SpawnedService | undefined;
  const streamAbort = new AbortController();

  beforeAll(async () => {
    redisServer = await startPrivateRedis();
    proxy = await startTcpProxy(redisServer.url);
    redis = createRedisConnection({
      url: redisServer.url,
      namespace,
      onError: () => undefined,
      reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
    });
    await redis.connect();
  });
  afterAll(async () => {
    streamAbort.abort();
    await service?.stop("SIGKILL");
    await redis?.close();
    await proxy?.close();
    await redisServer?.close();
  });

  it("keeps streaming, reconnects with backoff, then republishes quotes and re-registers", async () => {
    service = await spawnService(entry, {
      SERVICE_INSTANCE_NAME: instance,
      REDIS_URL: proxy.url,
      HISTORY_BACKFILL_HOURS: "0",
      HEALTH_CHECK_INTERVAL: "1",
      LOG_LEVEL: "info",
    });
    const running = service;
    const readiness = async () => {
      const response = await fetch(`http://127.0.0.1:${running.httpPort}/api/v1/ready`);
      return {
        status: response.status,
        checks: ((await response.json()) as { checks: Record<string, string> }).checks,
      };
    };
    const quotes = new RedisQuoteStore({ connection: redis, namespace });
    const registry = new RedisServiceRegistry({ connection: redis });
    const registered = async () =>
      (await registry.discover("market-data-simulator")).find((e) => e.instance === instance);
    await until(async () => ((await readiness()).status === 200 ? true : undefined));
    await until(() => quotes.latestQuote("BTC-USD"));
    expect(await until(registered)).toMatchObject({ grpcPort: running.grpcPort });

    const arrivals: number[] = [];
    let streamError: unknown;
    let streamEnded = false;
    const client = createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.grpcPort}` }),
    );
    const streaming = (async () => {
      try {
        for await (const _ of client.streamPrices({}, { signal: streamAbort.signal })) {
          arrivals.push(Date.now());
        }
        streamEnded = true;
      } catch (error) {
        if (!streamAbort.signal.aborted) streamError = error;
      }
    })();
    await until(async () => (arrivals.length >= 3 ? true : undefined));

    const attemptsBefore = proxy.connections;
    const arrivalsBefore = arrivals.length;
    await redisServer.stop();
    const stoppedAt = Date.now();
    const notReady = await until(async () => {
      const result = await readiness();
      return result.status === 503 ? result : undefined;
    });
    expect(notReady.checks.redis).toMatch(/^error: /);
    await new Promise((resolve) => setTimeout(resolve, stoppedAt + OUTAGE_MS - Date.now()));
    const attempts = proxy.connections - attemptsBefore;
    const arrivalsDuring = arrivals.length - arrivalsBefore;
    const outageEndedAt = Date.now();
    await redisServer.start();

    // Backoff, not a hot loop: 10 s of jittered waits doubling from 100 ms to 5 s is about
    // 8 attempts (a loop without backoff makes hundreds); and it did keep trying.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(20);
    // Each failed attempt is logged once, so the log is bounded by the backoff too.
    const errorLines = running
      .output()
      .split("\n")
      .filter((line) => line.includes("redis connection error"));
    expect(errorLines.length).toBeLessThanOrEqual(attempts + 5);

    // Back to ready on the empty Redis: quotes republished, price streams refilled, and the
    // discovery entry re-created by the next heartbeat.
    await until(async () => ((await readiness()).status === 200 ? true : undefined), 60_000);
    const quote = await until(() => quotes.latestQuote("ETH-USD"), 60_000);
    expect(quote.timestamp.getTime()).toBeGreaterThan(0);
    await until(async () => ((await quotes.streamLength("SOL-USD")) > 0 ? true : undefined));
    expect(await until(registered, 60_000)).toMatchObject({
      httpPort: running.httpPort,
      grpcPort: running.grpcPort,
      status: "healthy",
    });
    // One reconnect, then a steady connection: no churn once Redis is back.
    const stats = await redis.client.info("stats");
    const received = Number(/total_connections_received:(\d+)/.exec(stats)?.[1]);
    expect(received).toBeLessThanOrEqual(4);
    expect(proxy.connections - attemptsBefore).toBeLessThanOrEqual(attempts + 2);

    // The price stream never noticed.
    expect(streamError).toBeUndefined();
    expect(streamEnded).toBe(false);
    expect(arrivalsDuring).toBeGreaterThan(OUTAGE_MS / 100 / 4);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? at));
    expect(Math.max(...gaps)).toBeLessThan(5_000);
    expect(arrivals.at(-1) ?? 0).toBeGreaterThan(outageEndedAt);

    // Issue 19: a line with a stack per tick (299 of 325 lines in 30 s). Now one line when
    // publishing starts failing (the outage is shorter than the one-minute summary), at most
    // one when it has recovered; the same for the heartbeat every second.
    const linesAbout = (what: string) =>
      running
        .output()
        .split("\n")
        .filter((line) => line.includes(what));
    expect(linesAbout('"publishing quotes failing"')).toHaveLength(1);
    expect(linesAbout('"msg":"publishing quotes').length).toBeLessThanOrEqual(2);
    expect(linesAbout('"msg":"discovery heartbeat').length).toBeLessThanOrEqual(2);

    expect(running.child.exitCode).toBeNull();
    expect(running.output()).not.toContain("unhandled promise rejection");
    expect(running.output()).not.toMatch(/uncaught/i);
    streamAbort.abort();
    await streaming;
    expect(await running.stop("SIGTERM")).toBe(0);
    expect(await registered()).toBeUndefined();
  }, 120_000);
});
