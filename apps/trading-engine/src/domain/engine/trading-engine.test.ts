import { describe, expect, it } from "vitest";
import {
  marketOrder,
  quote,
  scriptedStrategy,
  sequentialIds,
  startStrategy,
  T0,
  type TestEngineOptions,
  testEngine,
} from "../../testing/engine-fixtures.js";
import type { OrderSnapshot } from "../orders/order.js";
import { MarketMakingStrategy } from "../strategies/market-making.js";
import type { OrderIntent } from "../strategies/trading-strategy.js";
import { EngineRequestError } from "./engine-request-error.js";
import type { TradingEngine } from "./trading-engine.js";

/** The engine of these tests: 100 000 of capital, a position limit of 100 unless `limits` says. */
const setup = (options: TestEngineOptions = {}) =>
  testEngine({ capital: 100_000, ...options, limits: { maxPositionSize: 100, ...options.limits } });

const marketMaker = (engine: TradingEngine, id = "mm-1", at = T0) =>
  startStrategy(
    engine,
    new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 20, refreshIntervalMs: 1_000 }),
    { id, at },
  );

const open = (orders: OrderSnapshot[]) => orders.filter((o) => o.status === "accepted");

describe("TradingEngine", () => {
  it("starts a strategy inactive, activates it on data and quotes both sides through the venue", () => {
    const { engine, changes } = setup();
    expect(marketMaker(engine).status).toBe("inactive");
    engine.onQuote(quote(9_999, 10_001), T0 + 1);
    expect(engine.strategy("mm-1")).toMatchObject({ status: "active", startedAt: T0 + 1 });
    const orders = open(engine.orders());
    expect(orders.map((o) => [o.side, o.limitPrice])).toEqual(
      expect.arrayContaining([
        ["buy", 9_990],
        ["sell", 10_010],
      ]),
    );
    expect(orders.every((o) => o.submittedAt === T0 + 1 && o.acceptedAt === T0 + 1)).toBe(true);
    const last = changes.at(-1);
    expect(last?.strategies.map((s) => s.status)).toEqual(["active"]);
    expect(last?.orders).toHaveLength(2);
  });

  it("fills a resting quote when the market crosses it; the position equals the sum of fills", () => {
    const { engine, portfolio, changes } = setup();
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.onQuote(quote(9_980, 9_985), T0 + 100);
    const fills = changes.flatMap((c) => c.fills);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({
      side: "buy",
      price: 9_990,
      liquidity: "maker",
      timestamp: T0 + 100,
    });
    const position = portfolio.position("mm-1", "BTC-USD");
    expect(position.quantity).toBe(
      fills.reduce((sum, f) => sum + (f.side === "buy" ? f.quantity : -f.quantity), 0),
    );
    expect(changes.flatMap((c) => c.positions).at(-1)?.quantity).toBe(1);
    const perf = engine.performance("mm-1");
    expect(perf).toMatchObject({ fillCount: 1, tradedNotional: 9_990 });
    const value = engine.valuation(T0 + 100);
    expect(value.totalValue - value.initialCapital).toBeCloseTo(value.totalPnl, 6);
  });

  it("rejects an order past a risk limit with the limit's reason, and stores the rejection", () => {
    const { engine, rejections } = setup({ limits: { maxPositionSize: 0.5 } });
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    const rejected = engine.orders({ statuses: ["rejected"] });
    expect(rejected).toHaveLength(2);
    expect(rejected[0]?.statusReason).toMatch(/max position size exceeded/);
    expect(rejections.map((r) => r.limit)).toEqual(["max_position_size", "max_position_size"]);
  });

  it("engages the breaker by hand: cancels open orders, blocks new orders and strategies, releases", () => {
    const { engine } = setup();
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    const cancelled = engine.engageCircuitBreaker("maintenance", T0 + 1);
    expect(cancelled).toHaveLength(2);
    expect(
      engine
        .orders({ statuses: ["cancelled"] })
        .every((o) => o.statusReason.includes("maintenance")),
    ).toBe(true);
    engine.onQuote(quote(9_999, 10_001), T0 + 5_000);
    expect(open(engine.orders())).toEqual([]);
    expect(() => marketMaker(engine, "mm-2", T0 + 5_000)).toThrow(EngineRequestError);
    engine.releaseCircuitBreaker(T0 + 6_000);
    engine.onQuote(quote(9_999, 10_001), T0 + 7_000);
    expect(open(engine.orders())).toHaveLength(2);
  });

  it("engages the breaker on drawdown and refuses to release it while the drawdown lasts", () => {
    const { engine, riskManager } = setup({ limits: { maxDrawdown: 0.05 } });
    startStrategy(engine, scriptedStrategy([[marketOrder("buy", 9)]]), { id: "buyer" });
    engine.onQuote(quote(10_000, 10_001), T0);
    engine.onQuote(quote(9_800, 9_801), T0 + 20);
    expect(engine.valuation(T0 + 20).drawdown).toBeLessThan(0.05);
    engine.onQuote(quote(9_400, 9_401), T0 + 30);
    expect(riskManager.breaker).toMatchObject({ engaged: true, trigger: "drawdown" });
    expect(() => engine.releaseCircuitBreaker(T0 + 40)).toThrow(/still reaches max_drawdown/);
  });

  it("expires orders after the order timeout", () => {
    const { engine } = setup();
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.pauseStrategy("mm-1", "hold", T0 + 1);
    engine.resumeStrategy("mm-1", T0 + 2);
    engine.onQuote(quote(9_999, 10_001), T0 + 3);
    engine.expireOrders(T0 + 60_002);
    expect(engine.orders({ statuses: ["expired"] })).toEqual([]);
    engine.expireOrders(T0 + 60_003);
    expect(engine.orders({ statuses: ["expired"] })).toHaveLength(2);
    expect(engine.orders({ statuses: ["expired"] })[0]?.expiredAt).toBe(T0 + 60_003);
  });

  it("pauses active strategies on a stale feed and resumes them, leaving hand-paused ones paused", () => {
    const { engine } = setup();
    marketMaker(engine, "a");
    marketMaker(engine, "b");
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.pauseStrategy("b", "by hand", T0 + 1);
    engine.setFeedStale(true, T0 + 2);
    expect(engine.strategy("a")).toMatchObject({
      status: "paused",
      statusReason: "market data is stale",
    });
    expect(open(engine.orders())).toEqual([]);
    engine.setFeedStale(false, T0 + 3);
    expect(engine.strategy("a").status).toBe("active");
    expect(engine.strategy("b")).toMatchObject({ status: "paused", statusReason: "by hand" });
  });

  it("stops a strategy closing its position, then enforces the cooldown on its instrument", () => {
    const { engine, portfolio } = setup({ timing: { cooldownMs: 30_000 } });
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.onQuote(quote(9_980, 9_985), T0 + 100);
    expect(portfolio.position("mm-1", "BTC-USD").quantity).toBe(1);
    const stopped = engine.stopStrategy("mm-1", true, T0 + 200);
    expect(stopped).toMatchObject({ status: "stopped", stoppedAt: T0 + 200 });
    expect(portfolio.position("mm-1", "BTC-USD").quantity).toBe(0);
    expect(engine.stopStrategy("mm-1", true, T0 + 300)).toBe(stopped);
    expect(() => marketMaker(engine, "mm-2", T0 + 10_000)).toThrow(/cooldown ends in 21 s/);
    engine.onQuote(quote(9_999, 10_001), T0 + 30_100);
    expect(marketMaker(engine, "mm-3", T0 + 30_200).status).toBe("active");
  });

  it("force-closes positions past the breaker and pauses their strategy", () => {
    const { engine, portfolio } = setup();
    marketMaker(engine);
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.onQuote(quote(9_980, 9_985), T0 + 100);
    engine.engageCircuitBreaker("risk off", T0 + 200);
    const orders = engine.forceClose({ instrument: "BTC-USD" }, "desk request", T0 + 300);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      side: "sell",
      type: "market",
      status: "filled",
      strategyId: "mm-1",
      statusReason: "desk request",
    });
    expect(portfolio.position("mm-1", "BTC-USD").quantity).toBe(0);
    expect(engine.strategy("mm-1")).toMatchObject({
      status: "paused",
      statusReason: "desk request",
    });
  });

  it("puts a failing strategy into ERROR and cancels its orders", () => {
    const { engine } = setup();
    let calls = 0;
    startStrategy(
      engine,
      {
        type: "market_making",
        parameters: {},
        onQuote: () => {
          calls += 1;
          if (calls > 1) throw new Error("boom");
          return {
            cancel: [],
            place: [{ side: "buy", type: "limit", quantity: 1, limitPrice: 9_000 }],
          };
        },
      },
      { id: "flaky" },
    );
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.onQuote(quote(9_999, 10_001), T0 + 1);
    expect(engine.strategy("flaky")).toMatchObject({
      status: "error",
      statusReason: "strategy failed: boom",
    });
    expect(engine.orders({ statuses: ["cancelled"] })).toHaveLength(1);
  });

  it("answers unknown ids and illegal requests with their kinds", () => {
    const { engine } = setup();
    const kind = (act: () => unknown) => {
      try {
        act();
      } catch (error) {
        return error instanceof EngineRequestError ? error.kind : "other";
      }
      return "none";
    };
    expect(kind(() => engine.strategy("nope"))).toBe("not_found");
    expect(kind(() => engine.cancelOrder("nope", "x", T0))).toBe("not_found");
    marketMaker(engine);
    expect(kind(() => marketMaker(engine))).toBe("already_exists");
    engine.stopStrategy("mm-1", false, T0);
    expect(kind(() => engine.pauseStrategy("mm-1", "x", T0))).toBe("failed_precondition");
    expect(kind(() => engine.resumeStrategy("mm-1", T0))).toBe("failed_precondition");
  });

  it("restores strategies, working orders and positions, and keeps trading from there", () => {
    const first = setup();
    marketMaker(first.engine);
    first.engine.onQuote(quote(9_999, 10_001), T0);
    first.engine.onQuote(quote(9_980, 9_985), T0 + 100);
    const openOrders = first.engine
      .orders()
      .filter((o) => o.status === "accepted" || o.status === "partially_filled");
    const second = setup({ ids: sequentialIds(1) });
    second.engine.restore({
      strategies: first.engine.strategies(),
      openOrders,
      positions: first.portfolio.positions(),
    });
    expect(second.portfolio.position("mm-1", "BTC-USD").quantity).toBe(1);
    expect(second.engine.performance("mm-1")).toMatchObject({
      orderCount: first.engine.performance("mm-1").orderCount,
      fillCount: 1,
      tradedNotional: 9_990,
    });
    expect(second.engine.valuation(T0).cash).toBeCloseTo(first.engine.valuation(T0).cash, 6);
    expect(second.venue.workingCount).toBe(openOrders.length);
    second.engine.onQuote(quote(10_020, 10_025), T0 + 200);
    expect(second.engine.orders({ statuses: ["filled"] }).map((o) => o.side)).toEqual(["sell"]);
    expect(second.portfolio.position("mm-1", "BTC-USD").quantity).toBe(0);
  });

  it("hands on the risk state when it changes, and a restored engaged breaker keeps blocking", () => {
    const first = setup();
    first.engine.setRiskLimits({ maxPositionSize: 7 });
    expect(first.changes.at(-1)?.risk?.limits.maxPositionSize).toBe(7);
    first.engine.engageCircuitBreaker("incident", T0);
    const risk = first.changes.at(-1)?.risk;
    expect(risk?.breaker).toMatchObject({ engaged: true, trigger: "manual", reason: "incident" });

    const second = setup({ ids: sequentialIds(1) });
    second.engine.restore({
      strategies: [],
      openOrders: [],
      positions: [],
      ...(risk === undefined ? {} : { risk }),
    });
    expect(second.engine.riskLimits.maxPositionSize).toBe(7);
    expect(() => marketMaker(second.engine, "mm-after", T0 + 1)).toThrow(
      /circuit breaker is engaged: incident/,
    );
    second.engine.releaseCircuitBreaker(T0 + 2);
    expect(second.changes.at(-1)?.risk?.breaker.engaged).toBe(false);
  });

  const scripted = (engine: TradingEngine, id: string, orders: OrderIntent[][], limits = {}) =>
    startStrategy(engine, scriptedStrategy(orders), { id, limits });

  it("measures exposure without the order being checked: exactly at the limits is allowed", () => {
    const { engine } = setup({ limits: { maxPositionSize: 1 } });
    scripted(engine, "s", [[{ side: "buy", type: "limit", quantity: 1, limitPrice: 9_000 }]], {
      maxOpenOrders: 1,
    });
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(engine.orders().map((o) => o.status)).toEqual(["accepted"]);
  });

  it("puts a strategy that asks for an impossible order into ERROR without breaking the quote", () => {
    const { engine } = setup();
    scripted(engine, "bad", [[{ side: "buy", type: "limit", quantity: 1, limitPrice: -5 }]]);
    marketMaker(engine, "good");
    expect(() => engine.onQuote(quote(9_999, 10_001), T0)).not.toThrow();
    expect(engine.strategy("bad")).toMatchObject({ status: "error" });
    expect(engine.strategy("bad").statusReason).toMatch(/invalid order/);
    expect(engine.strategy("good").status).toBe("active");
    expect(engine.orders({ strategyId: "good" })).toHaveLength(2);
  });

  it("never overshoots when a force close is repeated while the first is still working", () => {
    const { engine, portfolio } = setup();
    scripted(engine, "s", [[{ side: "buy", type: "market", quantity: 5 }]]);
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(5);
    engine.onQuote({ ...quote(9_999, 10_001), bidSize: 1 }, T0 + 1);
    engine.forceClose({ instrument: "BTC-USD" }, "first", T0 + 2);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(4);
    engine.forceClose({ instrument: "BTC-USD" }, "second", T0 + 3);
    expect(portfolio.position("s", "BTC-USD").quantity).toBeGreaterThanOrEqual(0);
    engine.onQuote(quote(9_999, 10_001), T0 + 4);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("lets closing orders through the order rate and notional limits", () => {
    const { engine, riskManager, portfolio } = setup();
    scripted(engine, "s", [[{ side: "buy", type: "market", quantity: 2 }]]);
    engine.onQuote(quote(9_999, 10_001), T0);
    riskManager.setLimits({ maxOrdersPerSecond: 1, maxTotalNotional: 1 });
    const [close] = engine.forceClose({}, "flatten", T0 + 1);
    expect(close?.status).toBe("filled");
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("resumes after a restart the strategies the stale feed paused, and keeps the cooldown", () => {
    const first = setup({ timing: { cooldownMs: 60_000 } });
    marketMaker(first.engine, "a");
    marketMaker(first.engine, "b");
    first.engine.onQuote(quote(9_999, 10_001), T0);
    first.engine.setFeedStale(true, T0 + 1);
    first.engine.stopStrategy("b", false, T0 + 2);
    const second = setup({ ids: sequentialIds(1), timing: { cooldownMs: 60_000 } });
    second.engine.restore({ strategies: first.engine.strategies(), openOrders: [], positions: [] });
    second.engine.onQuote(quote(9_999, 10_001), T0 + 3);
    expect(second.engine.strategy("a").status).toBe("paused");
    second.engine.setFeedStale(false, T0 + 4);
    expect(second.engine.strategy("a").status).toBe("active");
    expect(() => marketMaker(second.engine, "c", T0 + 10_000)).toThrow(/cooldown/);
  });

  it("never fills on a quote older than the staleness limit: a force close waits for a fresh one", () => {
    const { engine, portfolio, changes } = setup();
    scripted(engine, "s", [[{ side: "buy", type: "market", quantity: 2 }]]);
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(2);
    // The feed goes silent for 8 s (the limit is 5 s): the last quote is no market any more.
    const [close] = engine.forceClose({}, "kill switch", T0 + 8_000);
    expect(close).toMatchObject({ status: "accepted", filledQuantity: 0, createdAt: T0 + 8_000 });
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(2);
    expect(changes.flatMap((c) => c.fills).filter((f) => f.orderId === close?.id)).toEqual([]);
    engine.onQuote(quote(9_000, 9_002), T0 + 9_000);
    const [fill] = changes.flatMap((c) => c.fills).filter((f) => f.orderId === close?.id);
    expect(fill).toMatchObject({ price: 9_000, quantity: 2, timestamp: T0 + 9_000 });
    expect(engine.order(close?.id ?? "")).toMatchObject({ status: "filled", filledAt: T0 + 9_000 });
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("stamps a fill on an earlier (fresh) quote at the time it happens, never before its order", () => {
    const { engine, changes } = setup();
    scripted(engine, "s", [[{ side: "buy", type: "market", quantity: 2 }]]);
    engine.onQuote(quote(9_999, 10_001), T0);
    const [close] = engine.forceClose({}, "flatten", T0 + 3_000);
    expect(close).toMatchObject({ status: "filled", createdAt: T0 + 3_000, filledAt: T0 + 3_000 });
    const fills = changes.flatMap((c) => c.fills);
    expect(fills.map((f) => f.timestamp)).toEqual([T0, T0 + 3_000]);
    for (const order of engine.orders()) {
      for (const fill of order.fills)
        expect(fill.timestamp).toBeGreaterThanOrEqual(order.createdAt);
    }
  });

  it("lets a new strategy decide only on a fresh quote", () => {
    const { engine } = setup();
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(marketMaker(engine, "late", T0 + 8_000).status).toBe("inactive");
    expect(engine.orders()).toEqual([]);
    expect(marketMaker(engine, "early", T0 + 4_000).status).toBe("active");
    engine.onQuote(quote(9_999, 10_001), T0 + 9_000);
    expect(engine.strategy("late").status).toBe("active");
    expect(engine.orders({ strategyId: "late" }).map((o) => o.createdAt)).toEqual([
      T0 + 9_000,
      T0 + 9_000,
    ]);
  });

  it("refuses to pause a strategy that is not active", () => {
    const { engine } = setup();
    marketMaker(engine);
    expect(() => engine.pauseStrategy("mm-1", "x", T0)).toThrow(EngineRequestError);
  });
});
