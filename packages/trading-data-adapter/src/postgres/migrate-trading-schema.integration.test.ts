import { roundDecimal } from "@tse/field-checks";
import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import { migrateMarketDataSchema } from "@tse/market-data-adapter";
import { migrate, migrationHistoryTable } from "@tse/postgres-kit";
import { describeWithPostgres, openTestPool } from "@tse/testing";
import fc from "fast-check";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
} from "../contract/trading-samples.js";
import { uniqueTestSchema } from "../testing/trading-test-schema.js";
import { migrateTradingSchema, TRADING_COMPONENT } from "./migrate-trading-schema.js";
import { TRADING_MIGRATIONS } from "./migrations/trading-migrations.js";
import { PostgresTradingStore } from "./postgres-trading-store.js";
import { numericText } from "./unnest-columns.js";

const HISTORY = "trading_system_engine_schema_migrations";

describeWithPostgres("migrateTradingSchema (Postgres)", () => {
  let admin: postgres.Sql;
  const schemas: string[] = [];
  const fresh = (prefix: string) => {
    const schema = uniqueTestSchema(prefix);
    schemas.push(schema);
    return schema;
  };

  beforeAll(() => {
    admin = openTestPool();
  });
  afterAll(async () => {
    for (const schema of schemas) {
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin.end({ timeout: 5 });
  });

  async function history(schema: string): Promise<number[]> {
    const rows = await admin.unsafe<{ version: number }[]>(
      `select version from ${qualifiedName(schema, HISTORY)} order by version`,
    );
    return rows.map((row) => row.version);
  }

  it("records its history as trading_system_engine_schema_migrations", () => {
    expect(migrationHistoryTable(TRADING_COMPONENT)).toBe(HISTORY);
  });

  it("creates the schema, the five tables, the six enums and the history; a second run changes nothing", async () => {
    const schema = fresh("trading_mig");
    expect(await migrateTradingSchema(admin, { schema })).toEqual({
      applied: [1, 2],
      version: 2,
    });
    const tables = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "engine_state",
      "orders",
      "positions",
      "strategies",
      "trades",
      HISTORY,
    ]);
    const enums = await admin.unsafe<{ name: string; labels: string[] }[]>(
      `select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid
       join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = $1 group by t.typname order by t.typname`,
      [schema],
    );
    expect(enums).toEqual([
      {
        name: "order_side",
        labels: ["buy", "sell"],
      },
      {
        name: "order_status",
        labels: [
          "pending",
          "submitted",
          "accepted",
          "partially_filled",
          "filled",
          "cancelled",
          "rejected",
          "expired",
        ],
      },
      { name: "order_type", labels: ["market", "limit"] },
      {
        name: "strategy_status",
        labels: ["inactive", "active", "paused", "stopped", "error"],
      },
      { name: "strategy_type", labels: ["market_making", "mean_reversion"] },
      { name: "trade_side", labels: ["buy", "sell"] },
    ]);
    const amounts = await admin.unsafe<{ column: string; type: string }[]>(
      `select table_name || '.' || column_name as column,
         data_type || '(' || numeric_precision || ',' || numeric_scale || ')' as type
       from information_schema.columns where table_schema = $1 and data_type = 'numeric'
       order by 1`,
      [schema],
    );
    expect(amounts.map((row) => row.type)).toEqual(amounts.map(() => "numeric(20,8)"));
    expect(amounts.map((row) => row.column)).toEqual([
      "orders.average_fill_price",
      "orders.fees",
      "orders.filled_quantity",
      "orders.limit_price",
      "orders.quantity",
      "positions.average_entry_price",
      "positions.fees_paid",
      "positions.quantity",
      "positions.realized_pnl",
      "trades.fee",
      "trades.price",
      "trades.quantity",
    ]);

    const store = new PostgresTradingStore(admin, { schema });
    await store.commit({
      strategies: [sampleStrategy("s1")],
      orders: [sampleOrder(1, "s1")],
      engineState: [sampleEngineState()],
    });
    expect(await migrateTradingSchema(admin, { schema })).toEqual({ applied: [], version: 2 });
    expect(await history(schema)).toEqual([1, 2]);
    expect(await store.listOrders()).toHaveLength(1);
    // The SQL itself is idempotent too (a history lost or a hand-made table).
    for (const migration of TRADING_MIGRATIONS) await admin.unsafe(migration.sql(schema));
    expect(await store.listOrders()).toHaveLength(1);
    expect(await store.getEngineState("circuit_breaker")).toStrictEqual(sampleEngineState());
  });

  it("0002 creates engine_state on a schema migrated by 0001 only, keeping its data; a rerun is a no-op", async () => {
    const schema = fresh("trading_v1");
    const [first, second] = TRADING_MIGRATIONS;
    expect([first?.version, first?.name, second?.version, second?.name]).toEqual([
      1,
      "create_trading_tables",
      2,
      "create_engine_state",
    ]);
    expect(
      await migrate(admin, {
        schema,
        component: TRADING_COMPONENT,
        migrations: TRADING_MIGRATIONS.slice(0, 1),
      }),
    ).toEqual({ applied: [1], version: 1 });
    const engineStateTable = async () =>
      (
        await admin.unsafe<{ n: number }[]>(
          `select count(*)::int as n from information_schema.tables
           where table_schema = $1 and table_name = 'engine_state'`,
          [schema],
        )
      )[0]?.n;
    expect(await engineStateTable()).toBe(0);
    // Written at version 1 (engine state cannot be yet).
    const v1 = new PostgresTradingStore(admin, { schema });
    await v1.commit({
      strategies: [sampleStrategy("s1")],
      orders: [sampleOrder(1, "s1")],
      positions: [samplePosition("s1")],
    });

    expect(await migrateTradingSchema(admin, { schema })).toEqual({ applied: [2], version: 2 });
    expect(await history(schema)).toEqual([1, 2]);
    expect(await engineStateTable()).toBe(1);
    const store = new PostgresTradingStore(admin, { schema });
    const before = await store.loadState();
    expect(before.strategies.map((s) => s.strategyId)).toEqual(["s1"]);
    expect(before.openOrders).toHaveLength(1);
    expect(before.positions).toHaveLength(1);
    expect(before.engineState).toEqual([]);
    await store.commit({ engineState: [sampleEngineState()] });

    expect(await migrateTradingSchema(admin, { schema })).toEqual({ applied: [], version: 2 });
    expect(await history(schema)).toEqual([1, 2]);
    await admin.unsafe(second?.sql(schema) ?? "select nonsense");
    expect(await store.loadState()).toEqual({ ...before, engineState: [sampleEngineState()] });
  });

  it("three concurrent migrations of a fresh schema apply each version once", async () => {
    const schema = fresh("trading_race");
    const pools = [openTestPool(), openTestPool(), openTestPool()];
    try {
      const results = await Promise.all(pools.map((sql) => migrateTradingSchema(sql, { schema })));
      expect(results.flatMap((result) => result.applied)).toEqual([1, 2]);
      expect(await history(schema)).toEqual([1, 2]);
    } finally {
      await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
    }
  });

  it("shares a schema with the market data tables, each with its own history", async () => {
    const schema = fresh("trading_shared");
    await migrateMarketDataSchema(admin, { schema, component: "market-data-simulator" });
    await migrateTradingSchema(admin, { schema });
    const tables = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "candles",
      "engine_state",
      "market_data_simulator_schema_migrations",
      "market_snapshots",
      "orders",
      "positions",
      "price_feeds",
      "strategies",
      "symbols",
      "trades",
      HISTORY,
    ]);
    expect(await history(schema)).toEqual([1, 2]);
  });

  describe("the tables' own checks", () => {
    const schema = uniqueTestSchema("trading_checks");
    let t: (name: string) => string;
    beforeAll(async () => {
      schemas.push(schema);
      await migrateTradingSchema(admin, { schema });
      t = (name) => qualifiedName(schema, name);
      await admin.unsafe(
        `insert into ${t("strategies")} (strategy_id, name, type, instruments, parameters, limits, status)
         values ('s1', 'one', 'market_making', '{BTC-USD}', '{}', '{}', 'active')`,
      );
      await admin.unsafe(
        `insert into ${t("orders")} (order_id, client_order_id, strategy_id, instrument, side, type,
           quantity, status, expires_at)
         values ('00000000-0000-4000-8000-000000000001', 'c1', 's1', 'BTC-USD', 'buy', 'market',
           1, 'pending', now())`,
      );
    });

    const strategy = (values: string) =>
      `insert into ${t("strategies")} (strategy_id, name, type, instruments, parameters, limits, status)
       values (${values})`;
    const order = (values: string) =>
      `insert into ${t("orders")} (order_id, client_order_id, strategy_id, instrument, side, type,
         quantity, limit_price, filled_quantity, status, expires_at)
       values (${values}, now())`;
    const trade = (values: string) =>
      `insert into ${t("trades")} (trade_id, order_id, instrument, side, price, quantity, fee, liquidity)
       values (gen_random_uuid(), ${values})`;
    const id = "'00000000-0000-4000-8000-000000000001'";
    const engineState = (key: string, value: string) =>
      `insert into ${t("engine_state")} (key, value, updated_at) values (${key}, ${value}, now())`;

    it.each<[string, () => string, string]>([
      [
        "a strategy id with a space",
        () => strategy(`'a b', 'x', 'market_making', '{BTC-USD}', '{}', '{}', 'active'`),
        "23514",
      ],
      [
        "a strategy id of 65 characters",
        () =>
          strategy(`'${"a".repeat(65)}', 'x', 'market_making', '{BTC-USD}', '{}', '{}', 'active'`),
        "23514",
      ],
      [
        "a strategy without instruments",
        () => strategy(`'s2', 'x', 'market_making', '{}', '{}', '{}', 'active'`),
        "23514",
      ],
      [
        "an unknown strategy type",
        () => strategy(`'s2', 'x', 'arbitrage', '{BTC-USD}', '{}', '{}', 'active'`),
        "22P02",
      ],
      [
        "an unknown strategy status",
        () => strategy(`'s2', 'x', 'market_making', '{BTC-USD}', '{}', '{}', 'running'`),
        "22P02",
      ],
      [
        "parameters that are not an object",
        () => strategy(`'s2', 'x', 'market_making', '{BTC-USD}', '[1]', '{}', 'active'`),
        "23514",
      ],
      [
        "an order with a zero quantity",
        () =>
          order(`gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 0, null, 0, 'pending'`),
        "23514",
      ],
      [
        "a limit order without a price",
        () =>
          order(`gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'limit', 1, null, 0, 'pending'`),
        "23514",
      ],
      [
        "a limit order with a zero price",
        () => order(`gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'limit', 1, 0, 0, 'pending'`),
        "23514",
      ],
      [
        "a market order with a price",
        () =>
          order(`gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 1, 5, 0, 'pending'`),
        "23514",
      ],
      [
        "a fill above the quantity",
        () =>
          order(
            `gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 1, null, 1.5, 'pending'`,
          ),
        "23514",
      ],
      [
        "a negative fill",
        () =>
          order(
            `gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 1, null, -1, 'pending'`,
          ),
        "23514",
      ],
      [
        "an unknown order status",
        () =>
          order(`gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 1, null, 0, 'open'`),
        "22P02",
      ],
      [
        "an unknown order side",
        () =>
          order(
            `gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'long', 'market', 1, null, 0, 'pending'`,
          ),
        "22P02",
      ],
      [
        "a duplicate client order id in a strategy",
        () =>
          order(`gen_random_uuid(), 'c1', 's1', 'BTC-USD', 'buy', 'market', 1, null, 0, 'pending'`),
        "23505",
      ],
      [
        "an order of an unknown strategy",
        () =>
          order(
            `gen_random_uuid(), 'c9', 'nobody', 'BTC-USD', 'buy', 'market', 1, null, 0, 'pending'`,
          ),
        "23503",
      ],
      [
        "a quantity too large for numeric(20,8)",
        () =>
          order(
            `gen_random_uuid(), 'c2', 's1', 'BTC-USD', 'buy', 'market', 1e12, null, 0, 'pending'`,
          ),
        "22003",
      ],
      [
        "a trade with a zero price",
        () => trade(`${id}, 'BTC-USD', 'buy', 0, 1, 0, 'maker'`),
        "23514",
      ],
      [
        "a trade with a negative fee",
        () => trade(`${id}, 'BTC-USD', 'buy', 1, 1, -1, 'maker'`),
        "23514",
      ],
      [
        "a trade with an unknown liquidity",
        () => trade(`${id}, 'BTC-USD', 'buy', 1, 1, 0, 'both'`),
        "23514",
      ],
      [
        "a trade of an unknown order",
        () => trade(`gen_random_uuid(), 'BTC-USD', 'buy', 1, 1, 0, 'maker'`),
        "23503",
      ],
      [
        "a second position of a strategy in an instrument",
        () =>
          `insert into ${t("positions")} (strategy_id, instrument_id, quantity, updated_at)
           values ('s1', 'BTC-USD', 1, now()), ('s1', 'BTC-USD', -1, now())`,
        "23505",
      ],
      [
        "a position with a negative average entry price",
        () =>
          `insert into ${t("positions")} (strategy_id, instrument_id, average_entry_price)
           values ('s1', 'ETH-USD', -1)`,
        "23514",
      ],
      [
        "an engine state key with an upper-case letter",
        () => engineState("'Breaker'", "'{}'"),
        "23514",
      ],
      [
        "an engine state key starting with a digit",
        () => engineState("'1breaker'", "'{}'"),
        "23514",
      ],
      ["an engine state key with a dash", () => engineState("'risk-limits'", "'{}'"), "23514"],
      ["an empty engine state key", () => engineState("''", "'{}'"), "23514"],
      [
        "an engine state key of 64 characters",
        () => engineState(`'${"a".repeat(64)}'`, "'{}'"),
        "23514",
      ],
      [
        "an engine state key with a trailing newline",
        () => engineState("E'breaker\\n'", "'{}'"),
        "23514",
      ],
      [
        "an engine state value that is an array",
        () => engineState("'breaker'", "'[true]'"),
        "23514",
      ],
      ["an engine state value that is a string", () => engineState("'breaker'", `'"on"'`), "23514"],
      [
        "an engine state value that is JSON null",
        () => engineState("'breaker'", "'null'"),
        "23514",
      ],
      ["an engine state value that is SQL null", () => engineState("'breaker'", "null"), "23502"],
      [
        "an engine state row without updated_at",
        () => `insert into ${t("engine_state")} (key, value) values ('breaker', '{}')`,
        "23502",
      ],
      [
        "a second engine state row of a key",
        () =>
          `insert into ${t("engine_state")} (key, value, updated_at)
           values ('dup', '{}', now()), ('dup', '{"a":1}', now())`,
        "23505",
      ],
    ])("refuses %s inserted by raw SQL", async (_, statement, code) => {
      const error = await admin.unsafe(statement()).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe(code);
    });

    it("accepts a short position with a realized loss, and assigns it an id", async () => {
      const [row] = await admin.unsafe<{ position_id: string }[]>(
        `insert into ${t("positions")} (strategy_id, instrument_id, quantity, realized_pnl)
         values ('s1', 'SOL-USD', -3, -10.5) returning position_id`,
      );
      expect(row?.position_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("accepts engine state keys of 1 and 63 characters and an empty object", async () => {
      const rows = await admin.unsafe<{ key: string }[]>(
        `insert into ${t("engine_state")} (key, value, updated_at)
         values ('a', '{}', now()), ('${"z".repeat(63)}', '{"x":[1]}', now()) returning key`,
      );
      expect(rows.map((row) => row.key.length)).toEqual([1, 63]);
    });

    it("names the engine state constraints", async () => {
      const rows = await admin.unsafe<{ name: string }[]>(
        `select conname as name from pg_constraint
         where conrelid = $1::regclass order by conname`,
        [t("engine_state")],
      );
      expect(rows.map((row) => row.name)).toEqual([
        "engine_state_key_check",
        "engine_state_pkey",
        "engine_state_value_check",
      ]);
    });
  });

  it("roundDecimal(x, 8) is what numeric(20,8) stores for the text the store sends", async () => {
    const values = fc.sample(
      fc.oneof(
        fc.double({ min: -1e11, max: 1e11, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1e9 + 0.000000005),
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1e8),
      ),
      2_000,
    );
    const rows = await admin.unsafe<{ v: string }[]>(
      "select (x::numeric(20,8))::text as v from unnest($1::text[]) with ordinality as t(x, i) order by i",
      [values.map(numericText)],
    );
    const mismatches = values.filter((value, i) => roundDecimal(value, 8) !== Number(rows[i]?.v));
    expect(mismatches).toEqual([]);
  });
});
