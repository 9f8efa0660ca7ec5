import { randomBytes } from "node:crypto";
import { qualifiedName, quoteIdentifier, resolveServiceIdentity } from "@tse/instance-naming";
import { MigrationError, migrationHistoryTable } from "@tse/postgres-kit";
import {
  describeWithPostgres,
  openTestPool,
  TEST_POSTGRES_URL,
  uniqueTestName,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeCandleRepositoryContract,
  sampleCandle,
} from "../contract/candle-repository.contract.js";
import {
  describePriceFeedRepositoryContract,
  samplePriceFeed,
} from "../contract/price-feed-repository.contract.js";
import {
  describeSnapshotRepositoryContract,
  sampleSnapshot,
} from "../contract/snapshot-repository.contract.js";
import { describeSymbolRepositoryContract } from "../contract/symbol-repository.contract.js";
import { TEST_COMPONENT } from "../testing/market-data-test-schema.js";
import { migrateMarketDataSchema } from "./migrate-market-data-schema.js";
import { MARKET_DATA_MIGRATIONS } from "./migrations/market-data-migrations.js";
import { PostgresCandleRepository } from "./postgres-candle-repository.js";
import { PostgresPriceFeedRepository } from "./postgres-price-feed-repository.js";
import { PostgresSnapshotRepository } from "./postgres-snapshot-repository.js";
import { PostgresSymbolRepository } from "./postgres-symbol-repository.js";

const TABLES = ["candles", "market_snapshots", "price_feeds", "symbols"];

/** A schema name unique to this run. */
const testSchema = (prefix: string) => uniqueTestName(prefix).replaceAll("-", "_");

/** The test URL with another user (trust authentication on the test machine). */
function urlAs(role: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.username = role;
  url.password = "";
  return url.toString();
}

describeWithPostgres("migrate (Postgres)", () => {
  let admin: postgres.Sql;
  const schemas: string[] = [];
  const roles: string[] = [];

  beforeAll(() => {
    admin = openTestPool();
  });
  afterAll(async () => {
    for (const schema of schemas) {
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    for (const role of roles) await admin.unsafe(`drop role if exists ${quoteIdentifier(role)}`);
    await admin.end({ timeout: 5 });
  });

  const fresh = (prefix: string) => {
    const schema = testSchema(prefix);
    schemas.push(schema);
    return schema;
  };

  async function history(schema: string, component = TEST_COMPONENT): Promise<number[]> {
    const rows = await admin.unsafe<{ version: number }[]>(
      `select version from ${qualifiedName(schema, migrationHistoryTable(component))} order by version`,
    );
    return rows.map((r) => r.version);
  }

  it("creates the missing schema, its tables there, and is idempotent", async () => {
    const schema = fresh("mig_idem");
    const first = await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT });
    expect(first).toEqual({ applied: [1, 2], version: 2 });
    const repo = new PostgresCandleRepository(admin, { schema });
    await repo.upsertBatch([sampleCandle(0)]);
    const second = await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT });
    expect(second).toEqual({ applied: [], version: 2 });
    expect(await history(schema)).toEqual([1, 2]);
    expect(await repo.query({ symbol: "BTC-USD", interval: "1m" })).toHaveLength(1);
    // Running the SQL itself again (history lost) must not fail either.
    for (const migration of MARKET_DATA_MIGRATIONS) await admin.unsafe(migration.sql(schema));
  });

  it("upgrades a version-1 schema: snapshots then keep a 24h change of 10^12 %", async () => {
    const schema = fresh("mig_upgrade");
    const v1 = MARKET_DATA_MIGRATIONS.slice(0, 1);
    expect(
      await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT, migrations: v1 }),
    ).toEqual({
      applied: [1],
      version: 1,
    });
    expect(await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT })).toEqual({
      applied: [2],
      version: 2,
    });
    const repo = new PostgresSnapshotRepository(admin, { schema });
    const [stored] = await repo.insertBatch([
      sampleSnapshot(0, { priceChangePercent24h: 1_000_000_000_000 }),
    ]);
    expect(stored?.priceChangePercent24h).toBe(1_000_000_000_000);
  });

  it("puts every table and the history in the instance schema", async () => {
    const schema = fresh("mig_tables");
    await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT });
    const rows = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema],
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(
      [...TABLES, "market_data_simulator_schema_migrations"].sort(),
    );
  });

  it("two concurrent migrations of a fresh schema both succeed and apply each version once", async () => {
    const schema = fresh("mig_race");
    const pools = [openTestPool(), openTestPool(), openTestPool()];
    try {
      const results = await Promise.all(
        pools.map((sql) => migrateMarketDataSchema(sql, { schema, component: TEST_COMPONENT })),
      );
      expect(results.flatMap((r) => r.applied)).toEqual([1, 2]);
      expect(results.every((r) => r.version === 2)).toBe(true);
      expect(await history(schema)).toEqual([1, 2]);
    } finally {
      await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
    }
  });

  it("two components keep separate histories in one schema", async () => {
    const schema = fresh("mig_shared");
    await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT });
    const other = await migrateMarketDataSchema(admin, {
      schema,
      component: "trading-system-engine",
      migrations: [
        {
          version: 1,
          name: "create_orders",
          sql: (s) => `create table if not exists ${qualifiedName(s, "orders")} (id int)`,
        },
      ],
    });
    expect(other.applied).toEqual([1]);
    expect(await history(schema)).toEqual([1, 2]);
    expect(await history(schema, "trading-system-engine")).toEqual([1]);
  });

  it("a failing migration is a MigrationError naming it; earlier versions stay, it is not recorded", async () => {
    const schema = fresh("mig_fail");
    const error = await migrateMarketDataSchema(admin, {
      schema,
      component: TEST_COMPONENT,
      migrations: [
        ...MARKET_DATA_MIGRATIONS,
        {
          version: 3,
          name: "broken",
          sql: (s) =>
            `create table ${qualifiedName(s, "half")} (id int); select nonsense from nowhere`,
        },
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain("migration 3 (broken)");
    expect(await history(schema)).toEqual([1, 2]);
    const half = await admin.unsafe(
      "select 1 from information_schema.tables where table_schema = $1 and table_name = 'half'",
      [schema],
    );
    expect(half).toHaveLength(0);
    // The lock was released: a later run proceeds.
    expect(
      (await migrateMarketDataSchema(admin, { schema, component: TEST_COMPONENT })).applied,
    ).toEqual([]);
  });

  describe("two instances in one database", () => {
    const a = resolveServiceIdentity({
      serviceName: "market-data-simulator",
      instanceName: uniqueTestName("market-data-sim-a"),
      version: "0.1.0",
    });
    const b = resolveServiceIdentity({
      serviceName: "market-data-simulator",
      instanceName: uniqueTestName("market-data-sim-b"),
      version: "0.1.0",
    });

    it("each gets its own schema and sees none of the other's data", async () => {
      schemas.push(a.schema, b.schema);
      await migrateMarketDataSchema(admin, { schema: a.schema, component: TEST_COMPONENT });
      await migrateMarketDataSchema(admin, { schema: b.schema, component: TEST_COMPONENT });
      const feedsA = new PostgresPriceFeedRepository(admin, { schema: a.schema });
      const feedsB = new PostgresPriceFeedRepository(admin, { schema: b.schema });
      const candlesA = new PostgresCandleRepository(admin, { schema: a.schema });
      const candlesB = new PostgresCandleRepository(admin, { schema: b.schema });
      await feedsA.insertBatch([samplePriceFeed(0), samplePriceFeed(1)]);
      await candlesB.upsertBatch([sampleCandle(0)]);
      expect(await feedsA.query()).toHaveLength(2);
      expect(await feedsB.query()).toEqual([]);
      expect(await candlesA.lastPersistedAll()).toEqual([]);
      expect(await candlesB.lastPersistedAll()).toHaveLength(1);
      for (const identity of [a, b]) {
        const rows = await admin.unsafe<{ n: string }[]>(
          "select count(*) as n from information_schema.tables where table_schema = $1 and table_name = any($2::text[])",
          [identity.schema, TABLES],
        );
        expect(Number(rows[0]?.n)).toBe(4);
      }
    });
  });

  describe("least privilege", () => {
    const owner = `tse_test_role_${randomBytes(4).toString("hex")}`;
    const creator = `tse_test_nocreate_${randomBytes(4).toString("hex")}`;
    const ownSchema = testSchema("lp_own");
    let asOwner: postgres.Sql;

    beforeAll(async () => {
      roles.push(owner, creator);
      schemas.push(ownSchema);
      await admin.unsafe(`create role ${quoteIdentifier(owner)} login`);
      await admin.unsafe(`create role ${quoteIdentifier(creator)} login`);
      // The role owns only its schema: no CREATE on the database, nothing elsewhere.
      await admin.unsafe(
        `create schema ${quoteIdentifier(ownSchema)} authorization ${quoteIdentifier(owner)}`,
      );
      asOwner = openTestPool(urlAs(owner));
      await migrateMarketDataSchema(asOwner, { schema: ownSchema, component: TEST_COMPONENT });
    });
    afterAll(async () => {
      await asOwner?.end({ timeout: 5 });
    });

    it("the role may not create schemas, and has none in public", async () => {
      const [row] = await asOwner.unsafe<{ db: boolean; pub: boolean }[]>(
        "select has_database_privilege(current_database(), 'CREATE') as db, has_schema_privilege('public', 'CREATE') as pub",
      );
      expect(row).toEqual({ db: false, pub: false });
    });

    describeCandleRepositoryContract("postgres, schema-owner role", async () => {
      await asOwner.unsafe(`truncate ${qualifiedName(ownSchema, "candles")}`);
      return new PostgresCandleRepository(asOwner, { schema: ownSchema });
    });
    describePriceFeedRepositoryContract("postgres, schema-owner role", async () => {
      await asOwner.unsafe(`truncate ${qualifiedName(ownSchema, "price_feeds")}`);
      return new PostgresPriceFeedRepository(asOwner, { schema: ownSchema });
    });
    describeSnapshotRepositoryContract("postgres, schema-owner role", async () => {
      await asOwner.unsafe(`truncate ${qualifiedName(ownSchema, "market_snapshots")}`);
      return new PostgresSnapshotRepository(asOwner, { schema: ownSchema });
    });
    describeSymbolRepositoryContract("postgres, schema-owner role", async (now) => {
      await asOwner.unsafe(`truncate ${qualifiedName(ownSchema, "symbols")}`);
      return new PostgresSymbolRepository(asOwner, { schema: ownSchema, now });
    });

    it("a role without CREATE on the database gets a clear error for a missing schema", async () => {
      const missing = fresh("lp_missing");
      const sql = openTestPool(urlAs(creator));
      try {
        const error = await migrateMarketDataSchema(sql, {
          schema: missing,
          component: TEST_COMPONENT,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as MigrationError).message).toMatch(
          new RegExp(`schema "${missing}" does not exist and role "${creator}" may not create it`),
        );
        expect((error as MigrationError).role).toBe(creator);
        expect((error as MigrationError).schema).toBe(missing);
      } finally {
        await sql.end({ timeout: 5 });
      }
    });

    it("a role that may not create tables in an existing schema gets a clear error", async () => {
      const foreign = fresh("lp_foreign");
      await admin.unsafe(`create schema ${quoteIdentifier(foreign)}`);
      await admin.unsafe(
        `grant usage on schema ${quoteIdentifier(foreign)} to ${quoteIdentifier(creator)}`,
      );
      const sql = openTestPool(urlAs(creator));
      try {
        const error = await migrateMarketDataSchema(sql, {
          schema: foreign,
          component: TEST_COMPONENT,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as Error).message).toContain(
          `role "${creator}" may not create objects there`,
        );
      } finally {
        await sql.end({ timeout: 5 });
      }
    });
  });
});
