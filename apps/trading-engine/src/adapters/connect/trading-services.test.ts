import { Code } from "@connectrpc/connect";
import { CircuitBreakerState } from "@tse/proto/trading/v1/risk_pb";
import {
  BatchKind,
  OrderStatus,
  StrategyStatus,
  StrategyType,
} from "@tse/proto/trading/v1/trading_pb";
import { codeOf } from "@tse/service-kit/testing";
import { describe, expect, it } from "vitest";
import { testDesk } from "../../testing/desk-fixtures.js";

const setup = () => testDesk({ limits: { maxPositionSize: 5, maxDrawdown: 0.5 } });

/** The next message of a stream; throws when it ended instead. */
async function nextOf<T>(iterator: AsyncIterator<T>): Promise<T> {
  const result = await iterator.next();
  if (result.done === true) throw new Error("the stream ended");
  return result.value;
}

const marketMaking = (orderQuantity = 1) => ({
  case: "marketMaking" as const,
  value: { orderQuantity, spreadBps: 20 },
});

describe("trading.v1.TradingService", () => {
  it("starts a strategy with defaults resolved, and refuses bad requests with the right codes", async () => {
    const { trading } = setup();
    const { strategy } = await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    expect(strategy).toMatchObject({
      id: "mm",
      status: StrategyStatus.INACTIVE,
      name: "market_making BTC-USD",
    });
    expect(strategy?.parameters.case === "marketMaking" && strategy.parameters.value).toMatchObject(
      {
        spreadBps: 20,
        levels: 1,
        refreshIntervalMs: 1_000,
      },
    );
    expect(strategy?.limits?.maxOpenOrders).toBe(50);

    const start = (request: Parameters<typeof trading.startStrategy>[0]) =>
      codeOf(trading.startStrategy(request));
    expect(await start({ type: StrategyType.UNSPECIFIED, instruments: ["BTC-USD"] })).toBe(
      Code.InvalidArgument,
    );
    expect(
      await start({
        type: StrategyType.MARKET_MAKING,
        instruments: [],
        parameters: marketMaking(),
      }),
    ).toBe(Code.InvalidArgument);
    expect(await start({ type: StrategyType.MARKET_MAKING, instruments: ["BTC-USD"] })).toBe(
      Code.InvalidArgument,
    );
    expect(
      await start({
        type: StrategyType.MEAN_REVERSION,
        instruments: ["BTC-USD"],
        parameters: marketMaking(),
      }),
    ).toBe(Code.InvalidArgument);
    expect(
      await start({
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: marketMaking(Number.NaN),
      }),
    ).toBe(Code.InvalidArgument);
    expect(
      await start({
        strategyId: "bad id!",
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: marketMaking(),
      }),
    ).toBe(Code.InvalidArgument);
    expect(
      await start({
        type: StrategyType.MARKET_MAKING,
        instruments: ["DOGE-USD"],
        parameters: marketMaking(),
      }),
    ).toBe(Code.NotFound);
    expect(
      await start({
        strategyId: "mm",
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: marketMaking(),
      }),
    ).toBe(Code.AlreadyExists);
    expect(
      await start({
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: marketMaking(),
        limits: { maxLoss: -1 },
      }),
    ).toBe(Code.InvalidArgument);
  });

  it("runs the lifecycle and answers NOT_FOUND / FAILED_PRECONDITION as documented", async () => {
    const { trading, tick } = setup();
    await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    tick(9_999, 10_001);
    expect((await trading.getStrategyStatus({ strategyId: "mm" })).strategy?.status).toBe(
      StrategyStatus.ACTIVE,
    );
    expect((await trading.pauseStrategy({ strategyId: "mm" })).strategy?.status).toBe(
      StrategyStatus.PAUSED,
    );
    expect((await trading.pauseStrategy({ strategyId: "mm" })).strategy?.status).toBe(
      StrategyStatus.PAUSED,
    );
    expect((await trading.resumeStrategy({ strategyId: "mm" })).strategy?.status).toBe(
      StrategyStatus.ACTIVE,
    );
    expect((await trading.stopStrategy({ strategyId: "mm" })).strategy?.status).toBe(
      StrategyStatus.STOPPED,
    );
    expect(await codeOf(trading.pauseStrategy({ strategyId: "mm" }))).toBe(Code.FailedPrecondition);
    expect(await codeOf(trading.resumeStrategy({ strategyId: "mm" }))).toBe(
      Code.FailedPrecondition,
    );
    expect(await codeOf(trading.getStrategyStatus({ strategyId: "nope" }))).toBe(Code.NotFound);
    expect(await codeOf(trading.stopStrategy({ strategyId: "" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(trading.getPositions({ strategyId: "nope" }))).toBe(Code.NotFound);
    const listed = await trading.listStrategies({ statuses: [StrategyStatus.STOPPED] });
    expect(listed.strategies.map((s) => s.id)).toEqual(["mm"]);
    expect(await codeOf(trading.listStrategies({ statuses: [StrategyStatus.UNSPECIFIED] }))).toBe(
      Code.InvalidArgument,
    );
  });

  it("lists and cancels orders with validation; fills show in positions and the portfolio", async () => {
    const { trading, tick } = setup();
    await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    tick(9_999, 10_001);
    const open = await trading.listOrders({ statuses: [OrderStatus.ACCEPTED] });
    expect(open.orders).toHaveLength(2);
    const cancelled = await trading.cancelOrder({ orderId: open.orders[0]?.id ?? "" });
    expect(cancelled.order?.status).toBe(OrderStatus.CANCELLED);
    expect((await trading.cancelOrder({ orderId: open.orders[0]?.id ?? "" })).order?.status).toBe(
      OrderStatus.CANCELLED,
    );
    expect(await codeOf(trading.cancelOrder({ orderId: "nope" }))).toBe(Code.NotFound);
    expect(await codeOf(trading.listOrders({ limit: 1_001 }))).toBe(Code.InvalidArgument);
    expect(await codeOf(trading.listOrders({ statuses: [OrderStatus.UNSPECIFIED] }))).toBe(
      Code.InvalidArgument,
    );

    tick(9_980, 9_985, 100);
    tick(10_015, 10_020, 100);
    const filled = (await trading.listOrders({ statuses: [OrderStatus.FILLED] })).orders;
    expect(filled.length).toBeGreaterThan(0);
    expect(await codeOf(trading.cancelOrder({ orderId: filled[0]?.id ?? "" }))).toBe(
      Code.FailedPrecondition,
    );
    const { positions } = await trading.getPositions({ includeFlat: true });
    expect(positions).toHaveLength(1);
    const { portfolio } = await trading.getPortfolio({});
    expect(portfolio?.totalPnl).toBeCloseTo(
      (portfolio?.realizedPnl ?? 0) + (portfolio?.unrealizedPnl ?? 0),
      8,
    );
    expect(portfolio?.strategies.map((s) => s.strategyId)).toEqual(["mm"]);
  });

  it("streams order updates: a snapshot of open orders, then every change", async () => {
    const { trading, tick } = setup();
    await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    tick(9_999, 10_001);
    const controller = new AbortController();
    const stream = trading
      .streamOrderUpdates({ strategyId: "mm" }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    const snapshot = await nextOf(stream);
    expect(snapshot?.kind).toBe(BatchKind.SNAPSHOT);
    expect(snapshot?.orders.map((o) => o.status)).toEqual([
      OrderStatus.ACCEPTED,
      OrderStatus.ACCEPTED,
    ]);
    tick(9_980, 9_985, 100);
    const update = await nextOf(stream);
    expect(update?.kind).toBe(BatchKind.UPDATE);
    expect(
      update?.orders.some((o) => o.status === OrderStatus.FILLED && o.fills.length === 1),
    ).toBe(true);
    controller.abort();
    expect(
      await codeOf(
        trading.streamOrderUpdates({ strategyId: "nope" })[Symbol.asyncIterator]().next(),
      ),
    ).toBe(Code.NotFound);
  });

  it("streams the portfolio: a snapshot, then the changed positions; min_interval_ms is checked", async () => {
    const { trading, tick } = setup();
    await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    tick(9_999, 10_001);
    const controller = new AbortController();
    const stream = trading
      .streamPortfolioUpdates({ minIntervalMs: 100 }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    const snapshot = await nextOf(stream);
    expect(snapshot?.kind).toBe(BatchKind.SNAPSHOT);
    expect(snapshot?.positions).toEqual([]);
    tick(9_980, 9_985, 100);
    const update = await nextOf(stream);
    expect(update?.kind).toBe(BatchKind.UPDATE);
    expect(update?.positions.map((p) => [p.instrument, p.quantity])).toEqual([["BTC-USD", 1]]);
    controller.abort();
    expect(
      await codeOf(
        trading.streamPortfolioUpdates({ minIntervalMs: 50 })[Symbol.asyncIterator]().next(),
      ),
    ).toBe(Code.InvalidArgument);
  });
});

describe("trading.v1.RiskService", () => {
  it("refuses reasons and names it could not store", async () => {
    const { risk, trading } = setup();
    expect(await codeOf(risk.enableCircuitBreaker({ reason: "x".repeat(201) }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(risk.forcePositionClose({ reason: "a\u0000b" }))).toBe(
      Code.InvalidArgument,
    );
    expect(
      await codeOf(
        trading.startStrategy({
          name: "a\u0000b",
          type: StrategyType.MARKET_MAKING,
          instruments: ["BTC-USD"],
          parameters: marketMaking(),
        }),
      ),
    ).toBe(Code.InvalidArgument);
    expect((await risk.getRiskStatus({})).circuitBreaker?.state).toBe(
      CircuitBreakerState.DISENGAGED,
    );
  });

  it("sets limits as a whole or not at all, and reports them with utilisation", async () => {
    const { risk } = setup();
    const { limits } = await risk.setRiskLimits({
      limits: { maxPositionSize: 2, instrumentMaxPositionSizes: { "ETH-USD": 50 } },
    });
    expect(limits).toMatchObject({
      maxPositionSize: 2,
      instrumentMaxPositionSizes: { "ETH-USD": 50 },
      maxDrawdown: 0.5,
    });
    expect(
      await codeOf(risk.setRiskLimits({ limits: { maxPositionSize: 3, maxDrawdown: 1.5 } })),
    ).toBe(Code.InvalidArgument);
    expect(await codeOf(risk.setRiskLimits({ limits: { maxTotalNotional: -1 } }))).toBe(
      Code.InvalidArgument,
    );
    const status = await risk.getRiskStatus({});
    expect(status.limits?.maxPositionSize).toBe(2);
    expect(status.circuitBreaker?.state).toBe(CircuitBreakerState.DISENGAGED);
  });

  it("engages the breaker (cancelling orders), force-closes past it, and releases it", async () => {
    const { trading, risk, tick } = setup();
    await trading.startStrategy({
      strategyId: "mm",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: marketMaking(),
    });
    tick(9_999, 10_001);
    tick(9_980, 9_985, 100);
    const engaged = await risk.enableCircuitBreaker({ reason: "test" });
    expect(engaged.circuitBreaker).toMatchObject({
      state: CircuitBreakerState.ENGAGED,
      reason: "test",
    });
    expect(engaged.cancelledOrderIds.length).toBeGreaterThan(0);
    expect(
      await codeOf(
        trading.startStrategy({
          type: StrategyType.MARKET_MAKING,
          instruments: ["ETH-USD"],
          parameters: marketMaking(),
        }),
      ),
    ).toBe(Code.FailedPrecondition);
    const closed = await risk.forcePositionClose({ instrument: "BTC-USD", reason: "flatten" });
    expect(closed.orders.map((o) => o.status)).toEqual([OrderStatus.FILLED]);
    expect((await trading.getPositions({})).positions).toEqual([]);
    expect(await codeOf(risk.forcePositionClose({ strategyId: "nope" }))).toBe(Code.NotFound);
    const released = await risk.disableCircuitBreaker({});
    expect(released.circuitBreaker?.state).toBe(CircuitBreakerState.DISENGAGED);
  });
});
