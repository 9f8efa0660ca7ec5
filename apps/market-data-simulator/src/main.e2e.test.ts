import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { deriveRedisNamespace, deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import { RedisQuoteStore } from "@tse/market-data-adapter";
import { BatchKind, MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { repoRoot, type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const builtEntry = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const instance = "market-data-sim-e2e";
const schema = quoteIdentifier(deriveSchema(instance));
const namespace = deriveRedisNamespace("market-data-simulator", instance);

/** The value of the first sample of `name` whose labels include `labels`, from a scrape. */
function sample(exposition: string, name: string, labels: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) {
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return undefined;
}

/** Reads a v1 price stream until `count` update batches have arrived; returns every batch. */
async function readPriceBatches(
  client: Client<typeof MarketDataService>,
  count: number,
): Promise<{ kind: BatchKind; symbols: string[] }[]> {
  const controller = new AbortController();
  const batches: { kind: BatchKind; symbols: string[] }[] = [];
  try {
    for await (const response of client.streamPrices(
      { symbols: ["BTC-USD", "ETH-USD"] },
      { signal: controller.signal },
    )) {
      batches.push({ kind: response.kind, symbols: response.updates.map((q) => q.symbol) });
      if (batches.filter((b) => b.kind === BatchKind.UPDATE).length >= count) break;
    }
  } finally {
    controller.abort();
  }
  return batches;
}

describeWithPostgresAndRedis(
  "market-data-simulator end to end (built app, Postgres, Redis)",
  () => {
    let sql: postgres.Sql;
    let redis: RedisConnection;
    let service: SpawnedService | undefined;

    beforeAll(async () => {
      // The app as it ships: built by nx (with the libraries it depends on), run with plain node.
      execFileSync("npx", ["nx", "run", "market-data-simulator:build", "--output-style=static"], {
        cwd: repoRoot,
        stdio: "ignore",
        env: { ...process.env, NX_DAEMON: "false" },
      });
      sql = openTestPool();
      redis = createRedisConnection({ url: TEST_REDIS_URL, namespace, onError: () => undefined });
      await redis.connect();
      await sql.unsafe(`drop schema if exists ${schema} cascade`);
      await deleteKeysMatching(redis, `${namespace}*`);
      service = await spawnService(builtEntry, {
        SERVICE_INSTANCE_NAME: instance,
        POSTGRES_URL: TEST_POSTGRES_URL,
        REDIS_URL: TEST_REDIS_URL,
        HISTORY_BACKFILL_HOURS: "1",
        SIMULATION_SPEED: "30",
        TICK_INTERVAL_MS: "50",
        PRICE_FEED_PERSIST_INTERVAL_MS: "1000",
        SNAPSHOT_INTERVAL_MS: "5000",
        HEALTH_CHECK_INTERVAL: "2",
      });
    }, 180_000);

    afterAll(async () => {
      await service?.stop("SIGKILL");
      await sql?.unsafe(`drop schema if exists ${schema} cascade`);
      await sql?.end({ timeout: 5 });
      if (redis !== undefined) {
        await deleteKeysMatching(redis, `${namespace}*`);
        await redis.close();
      }
    });

    it("streams prices over gRPC (h2c) and over Connect (HTTP/1.1)", async () => {
      const running = service as SpawnedService;
      const overGrpc = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.grpcPort}` }),
      );
      const overConnect = createClient(
        MarketDataService,
        createConnectTransport({
          baseUrl: `http://127.0.0.1:${running.httpPort}`,
          httpVersion: "1.1",
        }),
      );
      for (const client of [overGrpc, overConnect]) {
        const batches = await readPriceBatches(client, 3);
        expect(batches[0]).toEqual({ kind: BatchKind.SNAPSHOT, symbols: ["BTC-USD", "ETH-USD"] });
        const updates = batches.slice(1);
        expect(updates.length).toBeGreaterThanOrEqual(3);
        expect(updates.every((b) => b.kind === BatchKind.UPDATE)).toBe(true);
        expect(
          updates.flatMap((b) => b.symbols).every((s) => s === "BTC-USD" || s === "ETH-USD"),
        ).toBe(true);
      }
    });

    it("serves REST history and persists candles, price feeds, snapshots and symbols in its schema", async () => {
      const running = service as SpawnedService;
      const history = (await (
        await fetch(
          `http://127.0.0.1:${running.httpPort}/api/v1/market/history/BTC?interval=1m&limit=100`,
        )
      ).json()) as { symbol: string; data: { timestamp: number; low: number; high: number }[] };
      expect(history.symbol).toBe("BTC-USD");
      expect(history.data.length).toBeGreaterThanOrEqual(55);
      expect(history.data.every((c) => c.low <= c.high)).toBe(true);

      const counts = await until(async () => {
        const [row] = (await sql.unsafe(
          `select (select count(*) from ${schema}.candles where "interval" = '1m')::int as candles,
                (select count(*) from ${schema}.price_feeds)::int as feeds,
                (select count(*) from ${schema}.market_snapshots)::int as snapshots,
                (select count(*) from ${schema}.symbols where is_active)::int as symbols`,
        )) as unknown as [{ candles: number; feeds: number; snapshots: number; symbols: number }];
        return row.candles >= 3 * 55 && row.feeds > 0 && row.snapshots > 0 ? row : undefined;
      });
      expect(counts.symbols).toBe(3);
    });

    it("publishes quotes and price streams under its Redis namespace", async () => {
      const quotes = new RedisQuoteStore({ connection: redis, namespace });
      const quote = await until(() => quotes.latestQuote("SOL-USD"));
      expect(quote.bid).toBeLessThan(quote.ask);
      expect(await quotes.streamLength("BTC-USD")).toBeGreaterThan(0);
      const keys: string[] = [];
      for await (const batch of redis.client.scanIterator({ MATCH: `${namespace}quote:*` })) {
        keys.push(...batch);
      }
      expect(keys.sort()).toEqual([
        `${namespace}quote:BTC-USD`,
        `${namespace}quote:ETH-USD`,
        `${namespace}quote:SOL-USD`,
      ]);
    });

    it("exports the market data series on /metrics, and they move", async () => {
      const running = service as SpawnedService;
      const scrape = async () =>
        (await fetch(`http://127.0.0.1:${running.httpPort}/metrics`)).text();
      const names = [
        "market_data_price_updates_total",
        "market_data_candles_generated_total",
        "market_data_snapshots_created_total",
        "market_data_subscription_active",
        "market_data_persistence_rows_written_total",
      ];
      // A 1m candle closes every 2 s at 30× speed: wait until every series has been recorded.
      const first = await until(async () => {
        const text = await scrape();
        return names.every((name) => text.includes(`${name}{`)) ? text : undefined;
      });
      const updates = (text: string) =>
        sample(text, "market_data_price_updates_total", 'symbol="BTC-USD"') ?? 0;
      expect(updates(first)).toBeGreaterThan(0);
      expect(first).toContain(`instance="${instance}"`);
      const moved = await until(async () => {
        const next = await scrape();
        return updates(next) > updates(first) ? next : undefined;
      });
      expect(updates(moved)).toBeGreaterThan(updates(first));
    });

    it("on SIGTERM ends open streams cleanly, exits 0 and leaves service discovery", async () => {
      const running = service as SpawnedService;
      const registry = new RedisServiceRegistry({ connection: redis });
      const listed = await until(async () =>
        (await registry.discover("market-data-simulator")).find((e) => e.instance === instance),
      );
      expect(listed.grpcPort).toBe(running.grpcPort);

      const client = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.grpcPort}` }),
      );
      let received = 0;
      const streaming = (async () => {
        for await (const _ of client.streamPrices({})) received += 1;
      })();
      await until(async () => (received >= 2 ? true : undefined));
      expect(await running.stop("SIGTERM")).toBe(0);
      await expect(streaming).resolves.toBeUndefined();
      expect(
        (await registry.discover("market-data-simulator")).some((e) => e.instance === instance),
      ).toBe(false);
    });
  },
);
