import { DependencyCheckError } from "@tse/dependency-check";
import { quoteIdentifier } from "@tse/instance-naming";
import { InMemoryMetrics } from "@tse/metrics-port";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  startTcpProxy,
  type TcpProxy,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  uniqueTestName,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { sampleCandle } from "./contract/candle-repository.contract.js";
import { samplePriceFeed } from "./contract/price-feed-repository.contract.js";
import { sampleQuote } from "./contract/quote-store.contract.js";
import { createMarketDataAdapter, type MarketDataAdapter } from "./market-data-adapter.js";
import { PERSISTENCE_METRICS } from "./write-behind/buffered-writes.js";

function identityFor(prefix: string) {
  const name = uniqueTestName(prefix);
  return { schema: name.replaceAll("-", "_"), redisNamespace: `test:${name}:` };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithPostgresAndRedis("createMarketDataAdapter on Postgres and Redis", () => {
  let admin: postgres.Sql;
  const schemas: string[] = [];
  let adapter: MarketDataAdapter | undefined;
  let proxy: TcpProxy | undefined;

  beforeAll(() => {
    admin = openTestPool();
  });
  afterEach(async () => {
    proxy?.restore();
    await adapter?.close(2_000);
    await proxy?.close();
    adapter = undefined;
    proxy = undefined;
  });
  afterAll(async () => {
    for (const schema of schemas) {
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin.end({ timeout: 5 });
  });

  function create(
    overrides: Partial<Parameters<typeof createMarketDataAdapter>[0]> & { prefix: string },
  ): MarketDataAdapter {
    const identity = identityFor(overrides.prefix);
    schemas.push(identity.schema);
    adapter = createMarketDataAdapter({
      identity,
      postgresUrl: TEST_POSTGRES_URL,
      redisUrl: TEST_REDIS_URL,
      ...overrides,
    });
    return adapter;
  }

  it("migrates the instance schema on connect and keeps keys under the namespace", async () => {
    const a = create({ prefix: "adapter-basic" });
    await a.connect();
    expect(a.backends).toEqual({ database: "postgres", keyValue: "redis" });
    const schema = schemas.at(-1) as string;
    const tables = await admin`select table_name from information_schema.tables
      where table_schema = ${schema} order by table_name`;
    expect(tables.map((row) => row.table_name)).toEqual([
      "candles",
      "market_data_simulator_schema_migrations",
      "market_snapshots",
      "price_feeds",
      "symbols",
    ]);
    await a.quotes.publishQuotes([sampleQuote()]);
    await a.cache.set("k", "v");
    const health = await a.health();
    expect(health).toMatchObject({ ok: true, postgres: { ok: true }, redis: { ok: true } });
    const probes = a.readinessProbes();
    expect(typeof probes.postgres).toBe("function");
    expect(typeof probes.redis).toBe("function");
  });

  it("keeps accepted writes through an outage: health goes bad, then everything is written once", async () => {
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    const metrics = new InMemoryMetrics();
    const a = create({
      prefix: "adapter-outage",
      postgresUrl: proxy.url,
      metrics,
      postgres: { connectTimeoutSeconds: 1 },
      writes: { flushIntervalMs: 20, initialRetryDelayMs: 20, maxRetryDelayMs: 200 },
    });
    await a.connect();
    const schema = schemas.at(-1) as string;

    let feeds = 0;
    const enqueueTick = (minute: number, close: number) => {
      a.writes.enqueuePriceFeeds([samplePriceFeed(feeds++)]);
      a.writes.enqueueCandles([sampleCandle(minute, { close, high: Math.max(102, close) })]);
    };
    for (let i = 0; i < 20; i++) enqueueTick(i, 100 + i / 10);
    await until(() => a.writes.status().buffered.price_feeds === 0);

    proxy.cut();
    for (let i = 20; i < 60; i++) enqueueTick(i, 100 + i / 10);
    // The open candle of minute 59 is updated while Postgres is away: only its last value counts.
    enqueueTick(59, 101.25);
    await until(async () => {
      const health = await a.health();
      return !health.postgres.ok && !health.writes.healthy;
    });
    const down = await a.health();
    expect(down.ok).toBe(false);
    expect(down.writes.healthy).toBe(false);
    // Queued, not lost: (a connection still open at the cut may have taken one batch).
    expect(
      Object.values(down.writes.buffered).reduce((sum, rows) => sum + rows, 0),
    ).toBeGreaterThan(0);
    // Whichever table's write met the outage first counts it.
    expect(metrics.counter(PERSISTENCE_METRICS.writeErrors)).toBeGreaterThan(0);
    await expect(
      (a.readinessProbes().postgres as (s: AbortSignal) => Promise<void>)(
        AbortSignal.timeout(5_000),
      ),
    ).rejects.toThrow();

    proxy.restore();
    await until(async () => {
      const health = await a.health();
      return health.ok && Object.values(health.writes.buffered).every((rows) => rows === 0);
    });

    const [feedCount] = await admin.unsafe(
      `select count(*)::int as n, count(distinct feed_id)::int as d from ${quoteIdentifier(schema)}.price_feeds`,
    );
    expect(feedCount).toEqual({ n: feeds, d: feeds });
    const candles = await a.candles.query({ symbol: "BTC-USD", interval: "1m" });
    expect(candles).toHaveLength(60);
    expect(candles.at(-1)?.close).toBe(101.25);
    expect(metrics.counter(PERSISTENCE_METRICS.dropped, { table: "price_feeds" })).toBe(0);
  });

  it("survives its connections being killed with pg_terminate_backend mid-write", async () => {
    const a = create({
      prefix: "adapter-terminate",
      writes: { flushIntervalMs: 5, initialRetryDelayMs: 20, maxRetryDelayMs: 100 },
    });
    await a.connect();
    let feeds = 0;
    for (let round = 0; round < 30; round++) {
      a.writes.enqueuePriceFeeds(Array.from({ length: 200 }, () => samplePriceFeed(feeds++)));
      if (round % 10 === 5) {
        await admin`select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = 'tse-market-data-adapter' and pid <> pg_backend_pid()
            and datname = current_database()`;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await a.writes.flush().catch(() => undefined);
    await until(() => a.writes.status().buffered.price_feeds === 0);
    const stored = await a.priceFeeds.query({ limit: 100_000 });
    expect(stored).toHaveLength(feeds);
    expect(new Set(stored.map((feed) => feed.feedId)).size).toBe(feeds);
  });

  it("drops the oldest price feeds first, candles last, when the buffer is full", async () => {
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    const metrics = new InMemoryMetrics();
    const a = create({
      prefix: "adapter-drop",
      postgresUrl: proxy.url,
      metrics,
      postgres: { connectTimeoutSeconds: 1 },
      writes: {
        maxBufferedRows: 50,
        flushIntervalMs: 20,
        initialRetryDelayMs: 20,
        maxRetryDelayMs: 100,
      },
    });
    await a.connect();
    proxy.cut();
    a.writes.enqueueCandles(Array.from({ length: 30 }, (_, i) => sampleCandle(i)));
    a.writes.enqueuePriceFeeds(Array.from({ length: 40 }, (_, i) => samplePriceFeed(i)));
    expect(a.writes.status().buffered).toEqual({
      price_feeds: 20,
      market_snapshots: 0,
      candles: 30,
    });
    expect(metrics.counter(PERSISTENCE_METRICS.dropped, { table: "price_feeds" })).toBe(20);
    proxy.restore();
    await until(
      () =>
        a.writes.status().buffered.candles === 0 && a.writes.status().buffered.price_feeds === 0,
    );
    const feeds = await a.priceFeeds.query({ order: "asc", limit: 100 });
    // The 20 oldest (0-19) went; the newest 20 were kept.
    expect(feeds.map((feed) => feed.metadata.i)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 20),
    );
    expect(await a.candles.query({ symbol: "BTC-USD", interval: "1m" })).toHaveLength(30);
  });

  it("close() flushes what Postgres could not take yet once it returns within the deadline", async () => {
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    const a = create({
      prefix: "adapter-close",
      postgresUrl: proxy.url,
      postgres: { connectTimeoutSeconds: 1 },
      writes: { flushIntervalMs: 20, initialRetryDelayMs: 20, maxRetryDelayMs: 100 },
    });
    await a.connect();
    proxy.cut();
    a.writes.enqueueCandles([sampleCandle(0), sampleCandle(1)]);
    const activeProxy = proxy;
    setTimeout(() => activeProxy.restore(), 500);
    expect(await a.close(10_000)).toEqual({ flushed: true, unwritten: {} });
    const [row] = await admin.unsafe(
      `select count(*)::int as n from ${quoteIdentifier(schemas.at(-1) as string)}.candles`,
    );
    expect(row?.n).toBe(2);
  });

  it("names the unreachable server and the cause without its password when connect() fails", async () => {
    const a = create({
      prefix: "adapter-unreachable",
      postgresUrl: "postgres://app:s3cret@127.0.0.1:1/nowhere",
      redisUrl: "",
      postgres: { connectTimeoutSeconds: 1 },
      dependencyCheckTimeoutMs: 500,
    });
    const failure = await a.connect().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(DependencyCheckError);
    expect(failure?.message).toMatch(
      /^Postgres at 127\.0\.0\.1:1\/nowhere is unreachable: .*ECONNREFUSED.*\(gave up after 500 ms\)$/,
    );
    expect(failure?.message).not.toContain("s3cret");
  });
});
