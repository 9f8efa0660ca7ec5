import { randomUUID } from "node:crypto";
import { qualifiedName, quoteIdentifier, resolveServiceIdentity } from "@tse/instance-naming";
import { InMemoryMetrics } from "@tse/metrics-port";
import {
  describeWithPostgres,
  openTestPool,
  TEST_POSTGRES_URL,
  uniqueTestName,
} from "@tse/testing";
import { createTradingDataAdapter, type TradingDataAdapter } from "@tse/trading-data-adapter";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OPEN_ORDER_STATUSES } from "../../application/domain-values.js";
import { testDesk } from "../../testing/desk-fixtures.js";
import { StoreTradingHistory } from "./store-trading-history.js";

describeWithPostgres("order listings while the write-behind queue is held back", () => {
  let admin: postgres.Sql;
  let adapter: TradingDataAdapter;
  const identity = resolveServiceIdentity({
    serviceName: "trading-system-engine",
    instanceName: uniqueTestName("engine-order-listing"),
    version: "0.1.0",
  });

  beforeAll(async () => {
    admin = openTestPool();
    adapter = createTradingDataAdapter({
      identity,
      postgresUrl: TEST_POSTGRES_URL,
      metrics: new InMemoryMetrics(),
    });
    await adapter.connect();
  });
  afterAll(async () => {
    await adapter.close(2_000);
    await admin.unsafe(`drop schema if exists ${quoteIdentifier(identity.schema)} cascade`);
    await admin.end({ timeout: 5 });
  });

  /** The engine as the service wires it on the adapter, keeping `closedOrderHistory` closed orders. */
  function deskOn(closedOrderHistory: number) {
    const { desk, engine, tick, wait } = testDesk({
      ids: randomUUID,
      timing: { orderTimeoutMs: 600_000, closedOrderHistory },
      history: new StoreTradingHistory(adapter, (error) => {
        throw error;
      }),
      streams: { maxStreams: 1, maxStreamBacklog: 100 },
    });
    return {
      desk,
      engine,
      tick: (bid: number, ask: number) => tick(bid, ask),
      later: () => wait(1_000),
    };
  }

  it("lists as open only orders whose newest state is open, while the orders table is locked", async () => {
    const { desk, engine, tick, later } = deskOn(2);
    await desk.startStrategy(
      {
        id: "mm",
        type: "market_making",
        instruments: ["BTC-USD"],
        marketMaking: { orderQuantity: 0.5, spreadBps: 20, levels: 2 },
      },
      { checkInstruments: false },
    );
    tick(9_999, 10_001);
    const first = engine.orders({ statuses: OPEN_ORDER_STATUSES }).map((o) => o.id);
    expect(first).toHaveLength(4);
    expect(await adapter.writes.flush(5_000)).toEqual({ flushed: true });

    // Hold every write to the orders table back, as a long lock or a slow disk would.
    const lock = await admin.reserve();
    try {
      await lock.unsafe("begin");
      await lock.unsafe(`lock table ${qualifiedName(identity.schema, "orders")} in exclusive mode`);
      // The strategy is paused (its 4 orders cancelled; the engine keeps only the last 2 closed
      // ones in memory) and resumed: 4 new open orders. None of it reaches the table.
      engine.pauseStrategy("mm", "hold", later());
      engine.resumeStrategy("mm", later());
      tick(9_999, 10_001);
      const second = engine.orders({ statuses: OPEN_ORDER_STATUSES }).map((o) => o.id);
      expect(second).toHaveLength(4);
      expect(first.filter((id) => engine.order(id) === undefined)).toHaveLength(2);
      expect(adapter.writes.pending).toBeGreaterThan(0);
      const stale = await admin.unsafe<{ status: string }[]>(
        `select status::text as status from ${qualifiedName(identity.schema, "orders")}
         where order_id = any($1::uuid[])`,
        [first],
      );
      expect(stale.map((row) => row.status)).toEqual([
        "accepted",
        "accepted",
        "accepted",
        "accepted",
      ]);

      const listed = await desk.orders({ statuses: OPEN_ORDER_STATUSES, strategyId: "mm" });
      expect(listed.map((o) => o.id).sort()).toEqual([...second].sort());
      expect(listed.every((o) => o.status === "accepted")).toBe(true);
      const everything = await desk.orders({ strategyId: "mm" });
      expect(everything.filter((o) => first.includes(o.id)).map((o) => o.status)).toEqual([
        "cancelled",
        "cancelled",
        "cancelled",
        "cancelled",
      ]);
    } finally {
      await lock.unsafe("rollback");
      lock.release();
    }
    expect(await adapter.writes.flush(10_000)).toEqual({ flushed: true });
    const afterwards = await desk.orders({ statuses: OPEN_ORDER_STATUSES, strategyId: "mm" });
    expect(afterwards.map((o) => o.id).sort()).toEqual(
      engine
        .orders({ statuses: OPEN_ORDER_STATUSES })
        .map((o) => o.id)
        .sort(),
    );
  });
});
