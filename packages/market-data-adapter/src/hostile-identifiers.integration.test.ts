import { quoteIdentifier } from "@tse/instance-naming";
import { createRedisConnection, type RedisConnection } from "@tse/redis-kit";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  TEST_REDIS_URL,
  uniqueTestName,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sampleCandle } from "./contract/candle-repository.contract.js";
import { sampleQuote } from "./contract/quote-store.contract.js";
import { migrateMarketDataSchema } from "./postgres/migrate-market-data-schema.js";
import { PostgresCandleRepository } from "./postgres/postgres-candle-repository.js";
import { RedisCacheStore } from "./redis/redis-cache-store.js";
import { RedisQuoteStore } from "./redis/redis-quote-store.js";
import { TEST_COMPONENT } from "./testing/market-data-test-schema.js";

const canary = uniqueTestName("canary").replaceAll("-", "_");
const tag = canary.slice(-6);

/**
 * Schema names a caller that skipped `resolveServiceIdentity` could hand the adapter: quotes of
 * every kind, statement separators, comments, dollar quoting, dots, non-ASCII. Each must name
 * exactly that (odd) schema — never end the identifier early — and leave the canary alone.
 */
const HOSTILE_SCHEMAS = [
  `h${tag}"; drop schema ${canary} cascade; --`,
  `h${tag}'; drop schema ${canary} cascade; --`,
  `h${tag}$$; drop schema ${canary} cascade; $$`,
  `h${tag}.public`,
  `h${tag} ünïcødé`,
];

/**
 * The market-data adapter under hostile identifiers, below the identity checks
 * (docs/data-model.md#instance-identity): Postgres schema names are always quoted, so migrations
 * and repositories put every table in exactly the named schema and no statement escapes it; Redis
 * namespaces and key parts that could widen a pattern or reach another namespace are refused before
 * any command is sent.
 */
describeWithPostgresAndRedis("hostile identifiers through the adapter (Postgres, Redis)", () => {
  let admin: postgres.Sql;
  let redis: RedisConnection;
  beforeAll(async () => {
    admin = openTestPool();
    await admin.unsafe(`create schema ${quoteIdentifier(canary)}`);
    await admin.unsafe(`create table ${quoteIdentifier(canary)}.alive (id int)`);
    redis = createRedisConnection({
      url: TEST_REDIS_URL,
      namespace: `${canary}:`,
      onError: () => undefined,
    });
    await redis.connect();
  });
  afterAll(async () => {
    for (const schema of [canary, ...HOSTILE_SCHEMAS]) {
      await admin?.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin?.end({ timeout: 5 });
    await redis?.close();
  });

  it.each(HOSTILE_SCHEMAS)("keeps schema %j to itself", async (schema) => {
    await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT });
    const candles = new PostgresCandleRepository(admin, { schema });
    await candles.upsertBatch([sampleCandle(0)]);
    expect(await candles.latest("BTC-USD", "1m")).toMatchObject({ symbol: "BTC-USD" });
    const tables = await admin<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = ${schema}`;
    expect(tables.map((t) => t.table_name)).toContain("candles");
    const alive = await admin<{ n: number }[]>`
      select count(*)::int as n from information_schema.tables
      where table_schema = ${canary} and table_name = 'alive'`;
    expect(alive[0]?.n).toBe(1);
  });

  it("refuses namespaces and key parts that could escape a Redis namespace", () => {
    for (const namespace of ["*", "a*:", "registry:services:", "../", "a b:", ":x:", ""]) {
      expect(
        () => new RedisQuoteStore({ connection: redis, namespace }),
        JSON.stringify(namespace),
      ).toThrow(RangeError);
      expect(() => new RedisCacheStore({ connection: redis, namespace })).toThrow(RangeError);
    }
  });

  it("refuses hostile symbols and keys before sending a command", async () => {
    const namespace = `${canary}:`;
    const quotes = new RedisQuoteStore({ connection: redis, namespace });
    const cache = new RedisCacheStore({ connection: redis, namespace });
    for (const part of ["*", "BTC:USD", "a b", "[x]", "\\", "x\u0000"]) {
      await expect(quotes.latestQuote(part), JSON.stringify(part)).rejects.toThrow();
      await expect(
        quotes.publishQuotes([sampleQuote({ symbol: part })]),
        JSON.stringify(part),
      ).rejects.toThrow();
      // A cache key may have ':'-separated segments of its own, all under the namespace.
      if (!part.includes(":")) {
        await expect(cache.get(part), JSON.stringify(part)).rejects.toThrow();
      }
    }
    const written: string[] = [];
    for await (const keys of redis.client.scanIterator({ MATCH: "*", COUNT: 1000 })) {
      written.push(...keys.filter((key) => key.includes(tag)));
    }
    expect(written.filter((key) => !key.startsWith(namespace))).toEqual([]);
  });
});
