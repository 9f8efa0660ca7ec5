import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import { migrate, migrationHistoryTable } from "@tse/market-data-adapter";
import { describeWithPostgres, openTestPool } from "@tse/market-data-adapter/testing";
import fc from "fast-check";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleOrder, sampleStrategy } from "../contract/trading-samples.js";
import { roundDecimal } from "../model/field-checks.js";
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

  it("creates the schema, the four tables, the six enums and the history; a second run changes nothing", async () => {
    const schema = fresh("trading_mig");
    expect(await migrateTradingSchema(admin, { schema })).toEqual({ applied: [1], version: 1 });
    const tables = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
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
    await store.commit({ strategies: [sampleStrategy("s1")], orders: [sampleOrder(1, "s1")] });
    expect(await migrateTradingSchema(admin, { schema })).toEqual({ applied: [], version: 1 });
    expect(await history(schema)).toEqual([1]);
    expect(await store.listOrders()).toHaveLength(1);
    // The SQL itself is idempotent too (a history lost or a hand-made table).
    await admin.unsafe(TRADING_MIGRATIONS[0]?.sql(schema) ?? "select nonsense");
    expect(await store.listOrders()).toHaveLength(1);
  });

  it("three concurrent migrations of a fresh schema apply each version once", async () => {
    const schema = fresh("trading_race");
    const pools = [openTestPool(), openTestPool(), openTestPool()];
    try {
      const results = await Promise.all(pools.map((sql) => migrateTradingSchema(sql, { schema })));
      expect(results.flatMap((result) => result.applied)).toEqual([1]);
      expect(await history(schema)).toEqual([1]);
    } finally {
      await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
    }
  });

  it("shares a schema with the market data tables, each with its own history", async () => {
    const schema = fresh("trading_shared");
    await migrate(admin, { schema, component: "market-data-simulator" });
    await migrateTradingSchema(admin, { schema });
    const tables = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "candles",
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
    expect(await history(schema)).toEqual([1]);
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
