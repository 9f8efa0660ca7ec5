import { qualifiedName } from "@tse/instance-naming";
import { describeWithPostgres, TEST_POSTGRES_URL } from "@tse/testing";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
} from "../contract/trading-samples.js";
import {
  ConstraintViolationError,
  TRADING_CONSTRAINTS,
} from "../model/constraint-violation-error.js";
import { createTradingTestSchema, type TradingTestSchema } from "../testing/trading-test-schema.js";
import { PostgresTradingStore } from "./postgres-trading-store.js";

describeWithPostgres("PostgresTradingStore writes", () => {
  let db: TradingTestSchema;
  /** Every statement the traced pool sent, in order. */
  const statements: string[] = [];
  let traced: postgres.Sql;

  beforeAll(async () => {
    db = await createTradingTestSchema("trading-writes");
    traced = postgres(TEST_POSTGRES_URL, {
      max: 1,
      onnotice: () => undefined,
      debug: (_connection, query) => statements.push(query.trim()),
    });
    // The first query of a pool also fetches the array types; done before any test counts.
    await traced.unsafe("select 1");
  });
  afterAll(async () => {
    await traced?.end({ timeout: 5 });
    await db?.drop();
  });
  beforeEach(async () => {
    await db.truncate();
    statements.length = 0;
  });

  async function count(table: string): Promise<number> {
    const [row] = await db.sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from ${qualifiedName(db.schema, table)}`,
    );
    return row?.n ?? -1;
  }

  it("commits a batch in one transaction of one statement per table, whatever its size", async () => {
    const store = new PostgresTradingStore(traced, { schema: db.schema });
    for (const size of [1, 7, 500]) {
      statements.length = 0;
      const orders = Array.from({ length: size }, (_, i) => sampleOrder(size * 1_000 + i, "s1"));
      await store.commit({
        strategies: [sampleStrategy("s1")],
        orders,
        trades: orders.map((order, i) => sampleTrade(size * 1_000 + i, order)),
        positions: [samplePosition("s1"), samplePosition("s1", "ETH-USD")],
        engineState: Array.from({ length: size }, (_, i) => sampleEngineState(`key_${i}`)),
      });
      const kinds = statements.map((s) => s.split(/\s+/)[0]?.toLowerCase());
      expect(kinds).toEqual(["begin", "insert", "insert", "insert", "insert", "insert", "commit"]);
      expect(statements[5]).toContain("engine_state");
    }
    expect(await count("orders")).toBe(508);
    expect(await count("trades")).toBe(508);
    expect(await count("engine_state")).toBe(500);
  });

  it("uses the same statement text for every batch size, so each is prepared once per connection", async () => {
    const store = new PostgresTradingStore(traced, { schema: db.schema });
    const texts = new Set<string>();
    for (const size of [1, 2, 3, 50]) {
      statements.length = 0;
      const orders = Array.from({ length: size }, (_, i) => sampleOrder(size * 1_000 + i, "s1"));
      await store.commit({ strategies: [sampleStrategy("s1")], orders });
      for (const text of statements.filter((s) => s.startsWith("insert"))) texts.add(text);
    }
    expect(texts.size).toBe(2);
  });

  it("splits big lists into chunks within the one transaction", async () => {
    const store = new PostgresTradingStore(traced, { schema: db.schema, rowsPerStatement: 100 });
    const orders = Array.from({ length: 250 }, (_, i) => sampleOrder(i + 1, "s1"));
    await store.commit({ strategies: [sampleStrategy("s1")], orders });
    const kinds = statements.map((s) => s.split(/\s+/)[0]?.toLowerCase());
    expect(kinds).toEqual(["begin", "insert", "insert", "insert", "insert", "commit"]);
    expect(await count("orders")).toBe(250);
  });

  it("a batch whose last record breaks a constraint only the database knows leaves nothing behind", async () => {
    // An order stored behind the store's back holds client order id "taken".
    await db.sql.unsafe(
      `insert into ${qualifiedName(db.schema, "strategies")}
         (strategy_id, name, type, instruments, parameters, limits, status)
       values ('s1', 'one', 'market_making', '{BTC-USD}', '{}', '{}', 'active')`,
    );
    await db.sql.unsafe(
      `insert into ${qualifiedName(db.schema, "orders")}
         (order_id, client_order_id, strategy_id, instrument, side, type, quantity, status, expires_at)
       values (gen_random_uuid(), 'taken', 's1', 'BTC-USD', 'buy', 'market', 1, 'pending', now())`,
    );
    const store = new PostgresTradingStore(db.sql, { schema: db.schema, rowsPerStatement: 100 });
    const orders = Array.from({ length: 299 }, (_, i) => sampleOrder(i + 1, "s2"));
    orders.push(sampleOrder(300, "s1", { clientOrderId: "taken" }));
    const error = await store
      .commit({
        strategies: [sampleStrategy("s2")],
        orders,
        trades: [sampleTrade(1, orders[0] as (typeof orders)[number])],
        positions: [samplePosition("s2")],
        engineState: [sampleEngineState()],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConstraintViolationError);
    expect((error as ConstraintViolationError).constraint).toBe(
      TRADING_CONSTRAINTS.strategyClientOrderId,
    );
    expect((error as Error).cause).toMatchObject({ code: "23505" });
    expect(await count("strategies")).toBe(1);
    expect(await count("orders")).toBe(1);
    expect(await count("trades")).toBe(0);
    expect(await count("positions")).toBe(0);
    expect(await count("engine_state")).toBe(0);
  });

  it("a commit that fails for another reason rejects with the driver's error", async () => {
    const store = new PostgresTradingStore(db.sql, { schema: "no_such_schema_anywhere" });
    const error = await store.commit({ strategies: [sampleStrategy("s1")] }).catch((e) => e);
    expect(error).not.toBeInstanceOf(ConstraintViolationError);
    expect((error as { code?: string }).code).toBe("42P01");
  });
});
