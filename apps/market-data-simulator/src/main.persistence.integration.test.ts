import { fileURLToPath } from "node:url";
import { deriveRedisNamespace, deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import { RedisQuoteStore } from "@tse/market-data-adapter";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const instance = `market-data-sim-it-${process.pid}`;
const schema = deriveSchema(instance);
const namespace = deriveRedisNamespace("market-data-simulator", instance);

describeWithPostgresAndRedis("market-data-simulator with Postgres and Redis (process)", () => {
  let sql: postgres.Sql;
  let redis: RedisConnection;
  let service: SpawnedService | undefined;
  const env = {
    SERVICE_INSTANCE_NAME: instance,
    POSTGRES_URL: TEST_POSTGRES_URL,
    REDIS_URL: TEST_REDIS_URL,
    HISTORY_BACKFILL_HOURS: "1",
    SIMULATION_SPEED: "20",
    TICK_INTERVAL_MS: "50",
    HEALTH_CHECK_INTERVAL: "2",
    LOG_LEVEL: "info",
  };

  beforeAll(async () => {
    sql = openTestPool();
    redis = createRedisConnection({ url: TEST_REDIS_URL, namespace, onError: () => undefined });
    await redis.connect();
  });
  afterAll(async () => {
    await service?.stop("SIGKILL");
    await sql.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    await sql.end({ timeout: 5 });
    await deleteKeysMatching(redis, `${namespace}*`);
    await redis.close();
  });

  it("backfills history into its schema, publishes quotes under its namespace, registers, serves ready", async () => {
    service = await spawnService(entry, env);
    const ready = await until(async () => {
      const response = await fetch(`http://127.0.0.1:${service?.httpPort}/api/v1/ready`);
      return response.status === 200 ? await response.json() : undefined;
    });
    expect(ready).toMatchObject({ checks: { postgres: "ok", redis: "ok" } });

    // One hour of 1m candles for three symbols, written through the write-behind buffer.
    const candles = await until(async () => {
      const [row] = (await sql.unsafe(
        `select count(*)::int as n from ${quoteIdentifier(schema)}.candles where "interval" = '1m'`,
      )) as unknown as [{ n: number }];
      return row.n >= 3 * 55 ? row.n : undefined;
    });
    expect(candles).toBeLessThanOrEqual(3 * 62);

    const quotes = new RedisQuoteStore({ connection: redis, namespace });
    const quote = await until(() => quotes.latestQuote("BTC-USD"));
    expect(quote.bid).toBeLessThan(quote.ask);
    expect(await quotes.streamLength("ETH-USD")).toBeGreaterThan(0);

    const registry = new RedisServiceRegistry({ connection: redis });
    const entries = await registry.discover("market-data-simulator");
    const mine = entries.find((entry) => entry.instance === instance);
    expect(mine).toMatchObject({
      httpPort: service.httpPort,
      grpcPort: service.grpcPort,
      status: "healthy",
    });

    const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/market_data_price_updates_total\{[^}]*symbol="BTC-USD"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/market_data_persistence_rows_written_total\{[^}]*table="candles"/);
  });

  it("on SIGTERM exits cleanly, deregisters, and a restart resumes from the stored candles", async () => {
    expect(await service?.stop()).toBe(0);
    const registry = new RedisServiceRegistry({ connection: redis });
    expect(
      (await registry.discover("market-data-simulator")).some((e) => e.instance === instance),
    ).toBe(false);
    const countCandles = async () =>
      (
        (await sql.unsafe(
          `select count(*)::int as n from ${quoteIdentifier(schema)}.candles`,
        )) as unknown as [{ n: number }]
      )[0].n;
    const before = await countCandles();

    service = await spawnService(entry, env);
    await until(async () => (service?.output().includes('"resumedFrom"') ? true : undefined));
    expect(await countCandles()).toBeGreaterThanOrEqual(before);

    // Memory holds only what this process simulated; the history API reaches into Postgres for
    // the rest, and the two join without a gap.
    const body = (await (
      await fetch(
        `http://127.0.0.1:${service.httpPort}/api/v1/market/history/BTC?interval=1m&limit=200`,
      )
    ).json()) as { data: { timestamp: number }[] };
    expect(body.data.length).toBeGreaterThanOrEqual(55);
    const gaps = body.data.slice(1).map((c, i) => c.timestamp - (body.data[i]?.timestamp ?? 0));
    expect(new Set(gaps)).toEqual(new Set([60_000]));

    const symbols = (await sql.unsafe(
      `select symbol, is_active from ${quoteIdentifier(schema)}.symbols order by symbol`,
    )) as unknown as { symbol: string; is_active: boolean }[];
    expect(symbols).toEqual([
      { symbol: "BTC-USD", is_active: true },
      { symbol: "ETH-USD", is_active: true },
      { symbol: "SOL-USD", is_active: true },
    ]);
    expect(await service.stop()).toBe(0);
  });
});
