import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { deriveSchema, discoveryKey, quoteIdentifier } from "@tse/instance-naming";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@tse/proto/grpc/health/v1/health_pb";
import {
  type Order,
  OrderStatus,
  StrategyType,
  TradingService,
} from "@tse/proto/trading/v1/trading_pb";
import { createRedisConnection, type RedisConnection } from "@tse/redis-kit";
import {
  repoRoot,
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

const engineEntry = fileURLToPath(new URL("./main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const engineInstance = `trading-engine-shutdown-${process.pid.toString(36)}`;
const schema = quoteIdentifier(deriveSchema(engineInstance));
const registryKey = discoveryKey("trading-system-engine", engineInstance);
const SHUTDOWN_TIMEOUT_MS = 10_000;
const FINAL = new Set([
  OrderStatus.FILLED,
  OrderStatus.CANCELLED,
  OrderStatus.REJECTED,
  OrderStatus.EXPIRED,
]);

describeWithPostgresAndRedis("trading engine graceful shutdown (process)", () => {
  let sql: postgres.Sql;
  let redis: RedisConnection;
  // The engine reaches Postgres through this proxy, so the test can hold its writes back.
  let proxy: TcpProxy;
  let simulator: SpawnedService | undefined;
  let engine: SpawnedService | undefined;

  beforeAll(async () => {
    sql = openTestPool();
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    redis = createRedisConnection({
      url: TEST_REDIS_URL,
      namespace: "trading:engine:shutdown:test:",
      onError: () => undefined,
    });
    await redis.connect();
    simulator = await spawnService(simulatorEntry, {
      HISTORY_BACKFILL_HOURS: "0",
      SIMULATION_SPEED: "100",
      TICK_INTERVAL_MS: "50",
    });
  }, 60_000);
  afterAll(async () => {
    await engine?.stop("SIGKILL");
    await simulator?.stop("SIGKILL");
    await proxy?.close();
    await sql?.unsafe(`drop schema if exists ${schema} cascade`);
    await sql?.end({ timeout: 5 });
    await redis?.client.unlink(registryKey);
    await redis?.close();
  });

  it("on SIGTERM with 100 open streams and buffered writes: NOT_SERVING at once, clean stream ends, changes flushed, deregistered, exit 0 in time", async () => {
    engine = await spawnService(engineEntry, {
      SERVICE_INSTANCE_NAME: engineInstance,
      POSTGRES_URL: proxy.url,
      REDIS_URL: TEST_REDIS_URL,
      MARKET_DATA_URL: `http://127.0.0.1:${simulator?.grpcPort}`,
      HEALTH_CHECK_INTERVAL: "2",
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: "info",
    });
    const running = engine;
    const httpBase = `http://127.0.0.1:${running.httpPort}`;
    const grpcBase = `http://127.0.0.1:${running.grpcPort}`;
    await until(async () => ((await fetch(`${httpBase}/api/v1/ready`)).ok ? true : undefined));
    await until(async () => (await redis.client.get(registryKey)) ?? undefined);

    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcBase }));
    const healthStatuses: { status: ServingStatus; at: number }[] = [];
    const watching = trackStream(async (onMessage) => {
      for await (const response of health.watch({ service: "" })) {
        healthStatuses.push({ status: response.status, at: Date.now() });
        onMessage();
      }
    });

    // 50 order-update streams over gRPC, 50 portfolio streams over Connect (h2 on the HTTP port).
    // The newest version of every order one of them saw, to compare with Postgres afterwards.
    const ordersSeen = new Map<string, Order>();
    const streams: TrackedStream[] = [];
    for (let transport = 0; transport < 5; transport += 1) {
      const client = createClient(TradingService, createGrpcTransport({ baseUrl: grpcBase }));
      for (let i = 0; i < 10; i += 1) {
        const recording = transport === 0 && i === 0;
        streams.push(
          trackStream(async (onMessage) => {
            for await (const response of client.streamOrderUpdates({})) {
              onMessage();
              if (recording) for (const order of response.orders) ordersSeen.set(order.id, order);
            }
          }),
        );
      }
    }
    const portfolio = createClient(
      TradingService,
      createConnectTransport({ baseUrl: httpBase, httpVersion: "2" }),
    );
    for (let i = 0; i < 50; i += 1) {
      streams.push(
        trackStream(async (onMessage) => {
          for await (const _ of portfolio.streamPortfolioUpdates({ minIntervalMs: 100 })) {
            onMessage();
          }
        }),
      );
    }
    expect(streams).toHaveLength(100);
    await until(
      async () =>
        streams.every((s) => s.messages >= 1) && watching.messages >= 1 ? true : undefined,
      60_000,
    );

    const trading = createClient(TradingService, createGrpcTransport({ baseUrl: grpcBase }));
    await trading.startStrategy({
      strategyId: "mm-shutdown",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: {
        case: "marketMaking",
        value: { orderQuantity: 0.01, spreadBps: 2, refreshIntervalMs: 300 },
      },
    });
    await until(
      async () => ([...ordersSeen.values()].some((o) => o.fills.length > 0) ? true : undefined),
      60_000,
    );

    // Hold the engine's writes back: Postgres is unreachable, its changes queue up.
    proxy.cut();
    const seenBeforeCut = ordersSeen.size;
    await until(async () => {
      const pending =
        (await scrapeMetric(running.httpPort, "trading_persistence_changes_pending")) ?? 0;
      return pending >= 5 && ordersSeen.size >= seenBeforeCut + 4 ? true : undefined;
    }, 60_000);

    const signalledAt = Date.now();
    const exited = running.stop("SIGTERM");
    const notServing = await until(
      async () => healthStatuses.find((s) => s.status === ServingStatus.NOT_SERVING),
      SHUTDOWN_TIMEOUT_MS,
      10,
    );
    // Postgres is back while the engine drains: the shutdown flush must commit everything.
    proxy.restore();
    const ends = await Promise.all(streams.map((s) => s.ended));
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
    expect(ends.filter((error) => error !== undefined)).toEqual([]);
    expect(await watching.ended).toBeUndefined();
    expect(await redis.client.get(registryKey)).toBeNull();
    expect(running.output()).toContain('"clean":true');
    expect(running.output()).not.toContain("unhandled promise rejection");

    // Every order the streams saw is stored — final ones in the state seen — with its fills.
    const rows = (await sql.unsafe(
      `select order_id::text as id, status::text as status, filled_quantity::float8 as filled
       from ${schema}.orders`,
    )) as unknown as { id: string; status: string; filled: number }[];
    const stored = new Map(rows.map((row) => [row.id, row]));
    const missing = [...ordersSeen.keys()].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    for (const order of ordersSeen.values()) {
      if (!FINAL.has(order.status)) continue;
      expect(stored.get(order.id)?.status, order.id).toBe(
        (OrderStatus[order.status] ?? "").toLowerCase(),
      );
      expect(stored.get(order.id)?.filled, order.id).toBeCloseTo(order.filledQuantity, 8);
    }
    const fills = [...ordersSeen.values()].flatMap((o) => o.fills.map((f) => f.id));
    const trades = (await sql.unsafe(
      `select trade_id::text as id from ${schema}.trades`,
    )) as unknown as {
      id: string;
    }[];
    const storedTrades = new Set(trades.map((t) => t.id));
    expect(fills.filter((id) => !storedTrades.has(id))).toEqual([]);
  }, 120_000);
});
