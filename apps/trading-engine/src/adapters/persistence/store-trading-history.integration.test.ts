import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { qualifiedName, quoteIdentifier, resolveServiceIdentity } from "@tse/instance-naming";
import {
  describeWithPostgres,
  openTestPool,
  TEST_POSTGRES_URL,
  uniqueTestName,
} from "@tse/market-data-adapter/testing";
import { InMemoryMetrics } from "@tse/metrics-port";
import { createTradingDataAdapter, type TradingDataAdapter } from "@tse/trading-data-adapter";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { strategyOf, TradingDesk } from "../../application/trading-desk.js";
import { TradingEngine } from "../../domain/engine/trading-engine.js";
import { PaperVenue } from "../../domain/execution/paper-venue.js";
import { OPEN_ORDER_STATUSES } from "../../domain/orders/order.js";
import { Portfolio } from "../../domain/portfolio/portfolio.js";
import { RiskManager } from "../../domain/risk/risk-manager.js";
import type { MarketQuote } from "../../domain/shared/market-quote.js";
import { StoreTradingHistory } from "./store-trading-history.js";

const T0 = Date.UTC(2026, 10, 23);
const RULES = {
  rulesOf: () => ({ tickSize: 0.01, lotSize: 0.00001, minQuantity: 0.00001, maxQuantity: 0 }),
};

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
    let now = T0;
    let desk: TradingDesk | undefined;
    const engine = new TradingEngine(
      {
        venue: new PaperVenue(
          { takerFeeBps: 10, makerFeeBps: 2, slippageBps: 0 },
          randomUUID,
          RULES,
        ),
        risk: new RiskManager({
          maxPositionSize: 0,
          instrumentMaxPositionSizes: {},
          maxTotalNotional: 0,
          maxOrdersPerSecond: 0,
          maxDrawdown: 0,
        }),
        portfolio: new Portfolio(1_000_000),
        instrumentRules: RULES,
        createStrategy: strategyOf,
        newId: randomUUID,
        onChanges: (changes) => desk?.handleChanges(changes),
      },
      { orderTimeoutMs: 600_000, cooldownMs: 0, maxQuoteAgeMs: 5_000, closedOrderHistory },
    );
    desk = new TradingDesk(
      {
        engine,
        history: new StoreTradingHistory(adapter, (error) => {
          throw error;
        }),
        catalog: { has: async () => true, rulesOf: RULES.rulesOf },
        metrics: new InMemoryMetrics(),
        now: () => now,
        newId: randomUUID,
        elapsedMs: () => performance.now(),
      },
      { maxStreams: 1, maxStreamBacklog: 100 },
    );
    const quote = (bid: number, ask: number): MarketQuote => ({
      instrument: "BTC-USD",
      bid,
      ask,
      bidSize: 10,
      askSize: 10,
      last: bid,
      timestamp: now,
    });
    return {
      desk,
      engine,
      tick: (bid: number, ask: number) => {
        now += 1_000;
        desk?.onQuote(quote(bid, ask));
      },
      later: () => {
        now += 1_000;
        return now;
      },
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
