import { describe, expect, it } from "vitest";
import type { OrderSnapshot } from "../domain/orders/order.js";
import { testDesk } from "../testing/desk-fixtures.js";
import { refusalKind, T0 } from "../testing/engine-fixtures.js";
import type { StartStrategyRequest } from "./trading-desk.js";
import type { TradingHistory } from "./trading-history.js";
import { TRADING_METRICS } from "./trading-metrics.js";

/** A market maker quoting 0.01 BTC 20 bps either side of the mid. */
const marketMaker = (id = "mm", overrides: Partial<StartStrategyRequest> = {}) =>
  ({
    id,
    type: "market_making",
    instruments: ["BTC-USD"],
    marketMaking: { orderQuantity: 0.01, spreadBps: 20 },
    ...overrides,
  }) satisfies StartStrategyRequest;

describe("TradingDesk", () => {
  it("starts a strategy with an id, a name and limits resolved, INACTIVE until a quote", async () => {
    const { desk, tick } = testDesk();
    const named = await desk.startStrategy({
      ...marketMaker(""),
      instruments: ["BTC-USD", "BTC-USD"],
    });
    expect(named.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(named).toMatchObject({
      name: "market_making BTC-USD",
      instruments: ["BTC-USD"],
      status: "inactive",
      limits: { maxOpenOrders: 50 },
    });
    tick(49_990, 50_010);
    expect(desk.strategy(named.id).status).toBe("active");
  });

  it("refuses a malformed start request as invalid and an unknown instrument as not found", async () => {
    const { desk } = testDesk();
    expect(await refusalKind(() => desk.startStrategy(marketMaker("bad id")))).toBe("invalid");
    expect(await refusalKind(() => desk.startStrategy(marketMaker("s", { instruments: [] })))).toBe(
      "invalid",
    );
    expect(
      await refusalKind(() => desk.startStrategy(marketMaker("s", { instruments: ["btc"] }))),
    ).toBe("invalid");
    expect(await refusalKind(() => desk.startStrategy(marketMaker("s", { name: "a\nb" })))).toBe(
      "invalid",
    );
    // Parameters of the other type, and a value out of range (a RangeError), are invalid too.
    expect(
      await refusalKind(() => desk.startStrategy(marketMaker("s", { meanReversion: {} }))),
    ).toBe("invalid");
    expect(
      await refusalKind(() => desk.startStrategy(marketMaker("s", { limits: { maxLoss: -1 } }))),
    ).toBe("invalid");
    expect(
      await refusalKind(() => desk.startStrategy(marketMaker("s", { instruments: ["DOGE-USD"] }))),
    ).toBe("not_found");
    await desk.startStrategy(marketMaker("s"));
    expect(await refusalKind(() => desk.startStrategy(marketMaker("s")))).toBe("already_exists");
    expect(desk.strategies().map((s) => s.id)).toEqual(["s"]);
  });

  it("skips the catalog for boot strategies when told to", async () => {
    const { desk } = testDesk();
    const started = await desk.startStrategy(marketMaker("boot", { instruments: ["DOGE-USD"] }), {
      checkInstruments: false,
    });
    expect(started.instruments).toEqual(["DOGE-USD"]);
  });

  it("pauses, resumes, stops and lists strategies, most recent first", async () => {
    const { desk, tick, wait } = testDesk();
    await desk.startStrategy(marketMaker("first"));
    wait(1);
    await desk.startStrategy(marketMaker("second"));
    tick(49_990, 50_010);
    expect(desk.strategies().map((s) => [s.id, s.status])).toEqual([
      ["second", "active"],
      ["first", "active"],
    ]);
    expect(desk.performance("first").openOrderCount).toBeGreaterThan(0);

    expect(desk.pauseStrategy("first", "lunch")).toMatchObject({
      status: "paused",
      statusReason: "lunch",
    });
    expect(desk.performance("first").openOrderCount).toBe(0);
    expect(desk.pauseStrategy("first", "again").statusReason).toBe("lunch");
    expect(desk.resumeStrategy("first").status).toBe("active");
    expect(desk.stopStrategy("first", false).status).toBe("stopped");
    expect(await refusalKind(() => desk.pauseStrategy("first", "late"))).toBe(
      "failed_precondition",
    );
    expect(await refusalKind(() => desk.resumeStrategy("first"))).toBe("failed_precondition");
    for (const act of [
      () => desk.strategy("nobody"),
      () => desk.performance("nobody"),
      () => desk.stopStrategy("nobody", true),
      () => desk.positions({ strategyId: "nobody" }),
    ]) {
      expect(await refusalKind(act)).toBe("not_found");
    }
  });

  it("lists orders from memory, completed from the history, and refuses filters no order can match", async () => {
    const stored: OrderSnapshot = {
      id: "00000000-0000-4000-8000-999999999999",
      clientOrderId: "old-1",
      strategyId: "mm",
      instrument: "BTC-USD",
      side: "buy",
      type: "limit",
      quantity: 0.01,
      limitPrice: 40_000,
      status: "cancelled",
      statusReason: "cancelled by request",
      cancelledAt: T0 - 30_000,
      filledQuantity: 0,
      fees: 0,
      averageFillPrice: 0,
      fills: [],
      createdAt: T0 - 60_000,
      updatedAt: T0 - 30_000,
      expiresAt: T0,
    };
    const history: TradingHistory = {
      record: () => undefined,
      orders: async () => [stored],
      order: async (id) => (id === stored.id ? stored : undefined),
    };
    const { desk, tick } = testDesk({ history });
    await desk.startStrategy(marketMaker("mm"));
    tick(49_990, 50_010);
    const open = desk.openOrders();
    expect(open.length).toBeGreaterThan(0);
    const listed = await desk.orders({ strategyId: "mm" });
    // The engine's orders (created at one time), then the older one only the history holds.
    expect(
      listed
        .slice(0, -1)
        .map((o) => o.id)
        .sort(),
    ).toEqual(open.map((o) => o.id).sort());
    expect(listed.at(-1)).toBe(stored);
    expect((await desk.orders({ limit: 1 })).length).toBe(1);

    expect(await refusalKind(() => desk.orders({ strategyId: "no spaces" }))).toBe("invalid");
    expect(await refusalKind(() => desk.orders({ instrument: "bitcoin" }))).toBe("invalid");

    // A cancel of an order only the history holds: returned when cancelled, unknown otherwise.
    expect(await desk.cancelOrder(stored.id, "again")).toBe(stored);
    expect(await refusalKind(() => desk.cancelOrder("unknown", "why"))).toBe("not_found");
    const cancelled = await desk.cancelOrder(open[0]?.id ?? "", "by hand");
    expect(cancelled.status).toBe("cancelled");
    expect(desk.openOrders().map((o) => o.id)).not.toContain(cancelled.id);
  });

  it("hands every change to the update streams and the metrics", async () => {
    const { desk, tick, metrics } = testDesk();
    const orders = desk.orderUpdates.subscribe();
    await desk.startStrategy(marketMaker("mm"));
    tick(49_990, 50_010);
    const batch = await orders.next();
    expect(batch?.map((o) => o.id).sort()).toEqual(
      desk
        .openOrders()
        .map((o) => o.id)
        .sort(),
    );
    expect(metrics.counter(TRADING_METRICS.orders, { strategy: "mm", status: "accepted" })).toBe(
      desk.openOrders().length,
    );
    orders.close();
  });

  it("pauses strategies while the feed is stale, resumes them when it is back, and expires orders", async () => {
    const { desk, tick, wait } = testDesk({ timing: { orderTimeoutMs: 5_000 } });
    await desk.startStrategy(marketMaker("mm"));
    tick(49_990, 50_010);
    desk.setFeedStale(true);
    expect(desk.feedStale).toBe(true);
    expect(desk.strategy("mm")).toMatchObject({
      status: "paused",
      statusReason: "market data is stale",
    });
    desk.setFeedStale(false);
    expect(desk.strategy("mm").status).toBe("active");

    tick(49_990, 50_010);
    expect(desk.openOrders().length).toBeGreaterThan(0);
    wait(5_000);
    desk.expireOrders();
    expect(desk.openOrders()).toEqual([]);
  });

  it("values the portfolio and filters positions, refusing a malformed instrument", async () => {
    const { desk } = testDesk({ capital: 250_000 });
    expect(desk.valuation()).toMatchObject({ totalValue: 250_000, drawdown: 0 });
    expect(desk.positions({ includeFlat: true })).toEqual([]);
    expect(await refusalKind(() => desk.positions({ instrument: "bitcoin" }))).toBe("invalid");
  });
});
