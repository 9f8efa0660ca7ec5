import { ValidationError } from "@tse/field-checks";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ConstraintViolationError,
  TRADING_CONSTRAINTS,
} from "../model/constraint-violation-error.js";
import type { EngineStateRecord } from "../model/engine-state.js";
import { ORDER_STATUSES, type OrderRecord, type OrderStatus } from "../model/order.js";
import type { PositionRecord } from "../model/position.js";
import type { StrategyRecord } from "../model/strategy.js";
import type { TradeRecord } from "../model/trade.js";
import type { TradingChanges } from "../model/trading-changes.js";
import type { TradingStore } from "../repositories/trading-store.js";
import {
  at,
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
  uuid,
} from "./trading-samples.js";

/** Everything a store holds, read through its public API (for "nothing was written" checks). */
async function everything(store: TradingStore) {
  return {
    strategies: await store.listStrategies(),
    orders: await store.listOrders({ limit: 1_000 }),
    trades: await store.listTrades({ limit: 1_000 }),
    positions: await store.listPositions(),
    engineState: (await store.loadState()).engineState,
  };
}

const EMPTY = { strategies: [], orders: [], trades: [], positions: [], engineState: [] };

/** A strategy with every optional field set. */
function fullStrategy(): StrategyRecord {
  return sampleStrategy("Mean_Rev-01", {
    name: "Mean reversion ETH/SOL",
    type: "mean_reversion",
    instruments: ["ETH-USD", "SOL-USD"],
    parameters: { window: 20, threshold: -1.5, nested: { list: [1, "two", null, false] } },
    limits: { maxPosition: 10, maxNotional: 250_000.5 },
    status: "stopped",
    statusReason: "stopped by operator",
    createdAt: at(0),
    startedAt: at(5),
    updatedAt: at(90),
    stoppedAt: at(90),
    metadata: { owner: "desk-a", tags: ["x", "y"] },
  });
}

/** A limit order with every optional field set. */
function fullOrder(): OrderRecord {
  return sampleOrder(7, "Mean_Rev-01", {
    orderId: "ABCDEF01-2345-4678-9ABC-DEF012345678",
    clientOrderId: 'mr-7/limit "quoted" \\ back',
    instrument: "ETH-USD",
    side: "sell",
    type: "limit",
    quantity: 3.25,
    limitPrice: 3_100.5,
    filledQuantity: 3.25,
    averageFillPrice: 3_101.12345678,
    fees: 0.75,
    status: "filled",
    statusReason: "filled at the touch",
    createdAt: at(10),
    submittedAt: at(11),
    acceptedAt: at(12),
    partiallyFilledAt: at(13),
    filledAt: at(14),
    cancelledAt: at(15),
    rejectedAt: at(16),
    expiredAt: at(17),
    expiresAt: at(310),
    updatedAt: at(14.5),
  });
}

/**
 * The behaviour every {@link TradingStore} must have. `factory` returns an empty store for each
 * test.
 */
export function describeTradingStoreContract(
  name: string,
  factory: () => Promise<TradingStore>,
): void {
  describe(`TradingStore contract: ${name}`, () => {
    let store: TradingStore;
    beforeEach(async () => {
      store = await factory();
    });

    it("starts empty", async () => {
      expect(await store.loadState()).toEqual({
        strategies: [],
        openOrders: [],
        positions: [],
        engineState: [],
      });
      expect(await everything(store)).toEqual(EMPTY);
      expect(await store.getStrategy("mm-btc")).toBeUndefined();
      expect(await store.getEngineState("circuit_breaker")).toBeUndefined();
      expect(await store.getOrder(uuid(1, 1))).toBeUndefined();
    });

    it("round-trips every field of every record, optional times set", async () => {
      const strategy = fullStrategy();
      const order = fullOrder();
      const trade = sampleTrade(1, order, {
        tradeId: "FEDCBA98-7654-4321-8FED-CBA987654321",
        price: 3_101.12345678,
        quantity: 3.25,
        fee: 0.75,
        liquidity: "maker",
        timestamp: at(14),
      });
      const position = samplePosition("Mean_Rev-01", "ETH-USD", {
        quantity: -3.25,
        averageEntryPrice: 3_101.12345678,
        realizedPnl: -42.87654321,
        feesPaid: 0.75,
        openedAt: at(14),
        updatedAt: at(14.5),
      });
      await store.commit({
        strategies: [strategy],
        orders: [order],
        trades: [trade],
        positions: [position],
      });
      expect(await store.getStrategy(strategy.strategyId)).toStrictEqual({ ...strategy });
      const storedOrder = { ...order, orderId: order.orderId.toLowerCase() };
      expect(await store.getOrder(order.orderId)).toStrictEqual(storedOrder);
      expect(await store.getOrder(order.orderId.toLowerCase())).toStrictEqual(storedOrder);
      expect(await store.listTrades({ orderId: order.orderId })).toStrictEqual([
        { ...trade, tradeId: trade.tradeId.toLowerCase(), orderId: storedOrder.orderId },
      ]);
      expect(await store.listPositions()).toStrictEqual([{ ...position }]);
    });

    it("round-trips records whose optional fields are unset: absent, never undefined", async () => {
      const strategy = sampleStrategy("s1");
      const order = sampleOrder(1, null);
      const trade = sampleTrade(1, order);
      const position = samplePosition("s1");
      await store.commit({
        strategies: [strategy],
        orders: [order],
        trades: [trade],
        positions: [position],
      });
      const stored = await store.getStrategy("s1");
      expect(stored).toStrictEqual({ ...strategy, metadata: {} });
      expect(stored).not.toHaveProperty("startedAt");
      expect(stored).not.toHaveProperty("stoppedAt");
      const storedOrder = await store.getOrder(order.orderId);
      expect(storedOrder).toStrictEqual({ ...order });
      for (const field of ["strategyId", "limitPrice", "submittedAt", "filledAt", "expiredAt"]) {
        expect(storedOrder).not.toHaveProperty(field);
      }
      const [storedTrade] = await store.listTrades();
      expect(storedTrade).toStrictEqual({ ...trade });
      expect(storedTrade).not.toHaveProperty("strategyId");
      const [storedPosition] = await store.listPositions();
      expect(storedPosition).toStrictEqual({ ...position });
      expect(storedPosition).not.toHaveProperty("openedAt");
    });

    it("round-trips text and JSON with quotes, backslashes, braces, commas, newlines and non-ASCII", async () => {
      const tricky = 'a "quoted", {braced} \\ back\\slash\nline two, NULL, ünïcødé 😀';
      const strategy = sampleStrategy("s1", {
        name: tricky,
        statusReason: tricky,
        parameters: { [tricky]: tricky, list: [tricky, "{}", "NULL", ""], "": 0.5 },
        limits: {},
        metadata: { note: tricky },
      });
      const order = sampleOrder(1, "s1", { clientOrderId: tricky, statusReason: tricky });
      await store.commit({ strategies: [strategy], orders: [order] });
      expect(await store.getStrategy("s1")).toStrictEqual({ ...strategy });
      expect(await store.getOrder(order.orderId)).toStrictEqual({ ...order });
    });

    it("rounds amounts to 8 decimals, half away from zero, keeping signs", async () => {
      const order = sampleOrder(1, "s1", {
        type: "limit",
        quantity: 1.123456785,
        limitPrice: 100.000000004,
        filledQuantity: 0.000000005,
        averageFillPrice: 99.999999995,
        fees: 0.123456789,
      });
      await store.commit({
        strategies: [sampleStrategy("s1")],
        orders: [order],
        trades: [sampleTrade(1, order, { price: 0.000000015, quantity: 2.5e-8, fee: 1e-9 })],
        positions: [
          samplePosition("s1", "BTC-USD", {
            quantity: -0.123456785,
            realizedPnl: -12.345678905,
            averageEntryPrice: 1e-9,
          }),
        ],
      });
      expect(await store.getOrder(order.orderId)).toMatchObject({
        quantity: 1.12345679,
        limitPrice: 100,
        filledQuantity: 0.00000001,
        averageFillPrice: 100,
        fees: 0.12345679,
      });
      expect(await store.listTrades()).toMatchObject([
        { price: 0.00000002, quantity: 0.00000003, fee: 0 },
      ]);
      const [position] = await store.listPositions();
      expect(position).toMatchObject({
        quantity: -0.12345679,
        realizedPnl: -12.34567891,
        averageEntryPrice: 0,
      });
      expect(Object.is(position?.averageEntryPrice, 0)).toBe(true);
    });

    it("an upsert replaces every field, clearing optional ones left unset", async () => {
      const strategy = fullStrategy();
      const order = fullOrder();
      await store.commit({ strategies: [strategy], orders: [order] });
      const restarted = sampleStrategy(strategy.strategyId, {
        type: "market_making",
        instruments: ["BTC-USD"],
        status: "active",
        createdAt: at(100),
        updatedAt: at(101),
      });
      const reopened = sampleOrder(8, null, { orderId: order.orderId });
      const position = samplePosition("Mean_Rev-01", "ETH-USD", { openedAt: at(1) });
      await store.commit({ strategies: [restarted], orders: [reopened], positions: [position] });
      await store.commit({
        positions: [samplePosition("Mean_Rev-01", "ETH-USD", { quantity: 0, updatedAt: at(50) })],
      });
      expect(await store.getStrategy(strategy.strategyId)).toStrictEqual({
        ...restarted,
        metadata: {},
      });
      expect(await store.getOrder(order.orderId)).toStrictEqual({
        ...reopened,
        orderId: order.orderId.toLowerCase(),
      });
      expect(await store.listPositions()).toStrictEqual([
        samplePosition("Mean_Rev-01", "ETH-USD", { quantity: 0, updatedAt: at(50) }),
      ]);
      expect((await everything(store)).strategies).toHaveLength(1);
    });

    it("writes strategies, orders, trades and positions of one batch in foreign-key order", async () => {
      const order = sampleOrder(1, "s1");
      // Listed against the foreign keys' order on purpose: the store orders the writes.
      await store.commit({
        positions: [samplePosition("s1")],
        trades: [sampleTrade(1, order)],
        orders: [order],
        strategies: [sampleStrategy("s1")],
      });
      const all = await everything(store);
      expect(all.strategies).toHaveLength(1);
      expect(all.orders).toHaveLength(1);
      expect(all.trades).toHaveLength(1);
      expect(all.positions).toHaveLength(1);
    });

    it("ignores a trade whose id is stored already, so a retried batch changes nothing", async () => {
      const order = sampleOrder(1, "s1", { status: "partially_filled", filledQuantity: 0.1 });
      const batch: TradingChanges = {
        strategies: [sampleStrategy("s1")],
        orders: [order],
        trades: [sampleTrade(1, order)],
        positions: [samplePosition("s1")],
      };
      await store.commit(batch);
      const first = await everything(store);
      await store.commit(batch);
      expect(await everything(store)).toEqual(first);
      await store.commit({ trades: [sampleTrade(1, order, { price: 1, quantity: 9 })] });
      expect(await store.listTrades()).toEqual(first.trades);
    });

    it("within one batch the last record of a key wins; of trades the first", async () => {
      const v1 = sampleOrder(1, "s1", { status: "submitted" });
      const v2 = sampleOrder(1, "s1", { status: "accepted", updatedAt: at(9) });
      const trade = sampleTrade(1, v2);
      await store.commit({
        strategies: [sampleStrategy("s1", { name: "old" }), sampleStrategy("s1", { name: "new" })],
        orders: [v1, v2],
        trades: [trade, { ...trade, price: 1 }],
        positions: [samplePosition("s1", "BTC-USD", { quantity: 1 }), samplePosition("s1")],
      });
      expect((await store.getStrategy("s1"))?.name).toBe("new");
      expect(await store.getOrder(v1.orderId)).toStrictEqual({ ...v2 });
      expect(await store.listTrades()).toStrictEqual([{ ...trade }]);
      expect(await store.listPositions()).toStrictEqual([samplePosition("s1")]);
    });

    it.each<[string, TradingChanges, string]>([
      [
        "a non-positive quantity",
        { orders: [sampleOrder(1), sampleOrder(2, "mm-btc", { quantity: 0 })] },
        "orders[1].quantity",
      ],
      [
        "a limit order without a limit price",
        { orders: [sampleOrder(1, "mm-btc", { type: "limit" })] },
        "orders[0].limitPrice",
      ],
      [
        "a market order with a limit price",
        { orders: [sampleOrder(1, "mm-btc", { limitPrice: 10 })] },
        "orders[0].limitPrice",
      ],
      [
        "a fill above the quantity",
        { orders: [sampleOrder(1, "mm-btc", { filledQuantity: 0.6 })] },
        "orders[0].filledQuantity",
      ],
      [
        "an unknown order status",
        { orders: [sampleOrder(1, "mm-btc", { status: "done" as OrderStatus })] },
        "orders[0].status",
      ],
      [
        "an invalid Date",
        { orders: [sampleOrder(1, "mm-btc", { filledAt: new Date(Number.NaN) })] },
        "orders[0].filledAt",
      ],
      [
        "a strategy id with a space",
        { strategies: [sampleStrategy("mm btc")] },
        "strategies[0].strategyId",
      ],
      [
        "a strategy without instruments",
        { strategies: [sampleStrategy("s1", { instruments: [] })] },
        "strategies[0].instruments",
      ],
      [
        "a trade with a negative fee",
        { trades: [sampleTrade(1, sampleOrder(1), { fee: -0.01 })] },
        "trades[0].fee",
      ],
      [
        "a position with a negative average entry price",
        {
          positions: [
            samplePosition("s1"),
            samplePosition("s2", "BTC-USD", { averageEntryPrice: -1 }),
          ],
        },
        "positions[1].averageEntryPrice",
      ],
      [
        "an engine state record with a malformed key",
        {
          engineState: [sampleEngineState("risk_limits"), sampleEngineState("Circuit-Breaker")],
        },
        "engineState[1].key",
      ],
      [
        "an engine state record whose value is not an object",
        {
          engineState: [
            sampleEngineState("circuit_breaker", {
              value: [true] as unknown as EngineStateRecord["value"],
            }),
          ],
        },
        "engineState[0].value",
      ],
      [
        "an engine state record whose value is over 64 KiB of JSON",
        { engineState: [sampleEngineState("risk_limits", { value: { s: "x".repeat(65_536) } })] },
        "engineState[0].value",
      ],
      [
        "an engine state record whose value holds a lone surrogate",
        { engineState: [sampleEngineState("risk_limits", { value: { s: "\ud800" } })] },
        "engineState[0].value",
      ],
      [
        "an engine state record with an invalid updatedAt",
        {
          engineState: [sampleEngineState("circuit_breaker", { updatedAt: new Date(Number.NaN) })],
        },
        "engineState[0].updatedAt",
      ],
    ])("refuses %s, naming it, and writes nothing of the batch", async (_, bad, field) => {
      const error = await store
        .commit({
          strategies: [sampleStrategy("mm-btc")],
          positions: [samplePosition()],
          engineState: [sampleEngineState("kill_switch")],
          ...bad,
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect(await everything(store)).toEqual(EMPTY);
    });

    it("refuses a batch whose last order reuses a client order id of its strategy, writing nothing", async () => {
      await store.commit({ strategies: [sampleStrategy("s1")], orders: [sampleOrder(1, "s1")] });
      const before = await everything(store);
      const error = await store
        .commit({
          strategies: [sampleStrategy("s2")],
          orders: [
            sampleOrder(2, "s2", { clientOrderId: "client-1" }),
            sampleOrder(1, "s1", { status: "submitted" }),
            sampleOrder(3, "s1", { clientOrderId: "client-1" }),
          ],
          positions: [samplePosition("s2")],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect((error as ConstraintViolationError).constraint).toBe(
        TRADING_CONSTRAINTS.strategyClientOrderId,
      );
      expect(await everything(store)).toEqual(before);
    });

    it("client order ids are unique per strategy, manual orders counting as one strategy", async () => {
      await store.commit({
        strategies: [sampleStrategy("s1"), sampleStrategy("s2")],
        orders: [
          sampleOrder(1, "s1", { clientOrderId: "same" }),
          sampleOrder(2, "s2", { clientOrderId: "same" }),
          sampleOrder(3, null, { clientOrderId: "same" }),
        ],
      });
      // An order may keep its own client order id, and give one up to another order.
      await store.commit({
        orders: [
          sampleOrder(1, "s1", { clientOrderId: "same", status: "accepted" }),
          sampleOrder(2, "s2", { clientOrderId: "moved" }),
          sampleOrder(4, "s2", { clientOrderId: "same" }),
        ],
      });
      expect(
        (await store.listOrders()).map((o) => [o.clientOrderId, o.strategyId ?? null]),
      ).toEqual([
        ["same", "s2"],
        ["same", null],
        ["moved", "s2"],
        ["same", "s1"],
      ]);
      const error = await store
        .commit({ orders: [sampleOrder(5, null, { clientOrderId: "same" })] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect((error as ConstraintViolationError).constraint).toBe(
        TRADING_CONSTRAINTS.manualClientOrderId,
      );
      expect(await store.listOrders()).toHaveLength(4);
    });

    it("refuses an order of an unknown strategy and a trade of an unknown order, writing nothing", async () => {
      const orphan = sampleOrder(1, "nobody");
      const orderError = await store
        .commit({ strategies: [sampleStrategy("s1")], orders: [orphan] })
        .catch((e: unknown) => e);
      expect(orderError).toBeInstanceOf(ConstraintViolationError);
      expect((orderError as ConstraintViolationError).constraint).toBe(
        TRADING_CONSTRAINTS.orderStrategy,
      );
      const tradeError = await store
        .commit({
          strategies: [sampleStrategy("s1")],
          orders: [sampleOrder(2, "s1")],
          trades: [sampleTrade(1, sampleOrder(3, "s1"))],
        })
        .catch((e: unknown) => e);
      expect(tradeError).toBeInstanceOf(ConstraintViolationError);
      expect((tradeError as ConstraintViolationError).constraint).toBe(
        TRADING_CONSTRAINTS.tradeOrder,
      );
      expect(await everything(store)).toEqual(EMPTY);
    });

    it("loadState returns every strategy, exactly the open orders, every position and all engine state", async () => {
      const strategies = [
        sampleStrategy("b-active", { status: "active", createdAt: at(2) }),
        sampleStrategy("a-stopped", { status: "stopped", createdAt: at(2) }),
        sampleStrategy("c-error", { status: "error", createdAt: at(1), statusReason: "boom" }),
        sampleStrategy("d-paused", { status: "paused", createdAt: at(3) }),
      ];
      const orders = ORDER_STATUSES.map((status, i) =>
        sampleOrder(i + 1, "b-active", { status, createdAt: at(100 - i) }),
      );
      const positions = [
        samplePosition("b-active", "ETH-USD"),
        samplePosition("a-stopped", "BTC-USD", { quantity: -1 }),
        samplePosition("b-active", "BTC-USD", { quantity: 0, realizedPnl: -5 }),
      ];
      const engineState = [
        sampleEngineState("risk_limits", { value: { maxDrawdownPct: 4 } }),
        sampleEngineState("circuit_breaker"),
        sampleEngineState("a_first", { value: {} }),
      ];
      await store.commit({ strategies, orders, positions, engineState });
      const state = await store.loadState();
      expect(state.strategies.map((s) => s.strategyId)).toEqual([
        "c-error",
        "a-stopped",
        "b-active",
        "d-paused",
      ]);
      expect(state.openOrders.map((o) => o.status)).toEqual([
        "partially_filled",
        "accepted",
        "submitted",
        "pending",
      ]);
      expect(state.openOrders[0]).toStrictEqual({ ...orders[3] });
      expect(state.positions.map((p) => [p.strategyId, p.instrument, p.quantity])).toEqual([
        ["a-stopped", "BTC-USD", -1],
        ["b-active", "BTC-USD", 0],
        ["b-active", "ETH-USD", 0.25],
      ]);
      expect(state.engineState).toStrictEqual([
        { ...sampleEngineState("a_first", { value: {} }) },
        { ...sampleEngineState("circuit_breaker") },
        { ...sampleEngineState("risk_limits", { value: { maxDrawdownPct: 4 } }) },
      ]);
      expect(Object.keys(state).sort()).toEqual([
        "engineState",
        "openOrders",
        "positions",
        "strategies",
      ]);
    });

    it("round-trips engine state: JSON of every kind, by key", async () => {
      const tricky = 'a "quoted", {braced} \\ back\\slash\nline two, NULL, ünïcødé 😀';
      const breaker = sampleEngineState("circuit_breaker", {
        value: {
          engaged: true,
          reason: tricky,
          engagedAt: 1_735_732_800_123,
          drawdownPct: -5.25,
          tiny: 1e-7,
          big: 1.5e300,
          none: null,
          list: [1, "two", null, false, { [tricky]: [] }],
          nested: { a: { b: { c: {} } } },
        },
        updatedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, 123)),
      });
      const limits = sampleEngineState("risk_limits", { value: { maxDrawdownPct: 5 } });
      await store.commit({ engineState: [breaker, limits] });
      expect(await store.getEngineState("circuit_breaker")).toStrictEqual({ ...breaker });
      expect(await store.getEngineState("risk_limits")).toStrictEqual({ ...limits });
      expect(await store.getEngineState("kill_switch")).toBeUndefined();
      // A malformed key is never stored: undefined, not an error.
      for (const key of ["Circuit_Breaker", "", "a\u0000b", "a".repeat(64), "risk-limits"]) {
        expect(await store.getEngineState(key)).toBeUndefined();
      }
      // Engine state alone touches no other table.
      const { engineState, ...rest } = await everything(store);
      expect(rest).toEqual({ strategies: [], orders: [], trades: [], positions: [] });
      expect(engineState.map((e) => e.key)).toEqual(["circuit_breaker", "risk_limits"]);
    });

    it("an engine state upsert replaces the value and updatedAt; the last record of a key in a batch wins", async () => {
      await store.commit({
        engineState: [
          sampleEngineState("circuit_breaker", { value: { engaged: true, reason: "drawdown" } }),
          sampleEngineState("risk_limits", { value: { maxDrawdownPct: 5 } }),
        ],
      });
      const released = sampleEngineState("circuit_breaker", {
        value: { engaged: false },
        updatedAt: at(60),
      });
      await store.commit({ engineState: [released] });
      expect(await store.getEngineState("circuit_breaker")).toStrictEqual({ ...released });
      await store.commit({
        strategies: [sampleStrategy("s1")],
        engineState: [
          sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 }, updatedAt: at(70) }),
          sampleEngineState("risk_limits", { value: { maxDrawdownPct: 2 }, updatedAt: at(80) }),
        ],
      });
      expect((await store.loadState()).engineState).toStrictEqual([
        { ...released },
        sampleEngineState("risk_limits", { value: { maxDrawdownPct: 2 }, updatedAt: at(80) }),
      ]);
      expect(await store.getStrategy("s1")).toBeDefined();
    });

    it("writes nothing of a batch refused by a constraint, engine state included", async () => {
      const error = await store
        .commit({
          strategies: [sampleStrategy("s1")],
          orders: [sampleOrder(1, "nobody")],
          engineState: [sampleEngineState("circuit_breaker")],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConstraintViolationError);
      expect(await everything(store)).toEqual(EMPTY);
      expect(await store.getEngineState("circuit_breaker")).toBeUndefined();
    });

    it("keeps the engine state committed when the caller changes its objects afterwards", async () => {
      const value = { engaged: true, limits: { maxDrawdownPct: 5 } };
      const updatedAt = at(20);
      await store.commit({
        engineState: [sampleEngineState("circuit_breaker", { value, updatedAt })],
      });
      value.limits.maxDrawdownPct = 50;
      updatedAt.setTime(0);
      const read = await store.getEngineState("circuit_breaker");
      expect(read).toStrictEqual({
        key: "circuit_breaker",
        value: { engaged: true, limits: { maxDrawdownPct: 5 } },
        updatedAt: at(20),
      });
      read?.updatedAt.setTime(0);
      expect((await store.getEngineState("circuit_breaker"))?.updatedAt).toEqual(at(20));
      const [loaded] = (await store.loadState()).engineState;
      loaded?.updatedAt.setTime(0);
      expect((await store.loadState()).engineState[0]?.updatedAt).toEqual(at(20));
    });

    it("lists strategies most recently created first, filtered by statuses and type", async () => {
      await store.commit({
        strategies: [
          sampleStrategy("s1", { createdAt: at(1), status: "active" }),
          sampleStrategy("s3", { createdAt: at(3), status: "paused", type: "mean_reversion" }),
          sampleStrategy("s2", { createdAt: at(3), status: "active" }),
        ],
      });
      const ids = (list: StrategyRecord[]) => list.map((s) => s.strategyId);
      expect(ids(await store.listStrategies())).toEqual(["s2", "s3", "s1"]);
      expect(ids(await store.listStrategies({ statuses: ["active"] }))).toEqual(["s2", "s1"]);
      expect(ids(await store.listStrategies({ statuses: ["active", "paused"] }))).toEqual([
        "s2",
        "s3",
        "s1",
      ]);
      expect(ids(await store.listStrategies({ type: "mean_reversion" }))).toEqual(["s3"]);
      expect(
        ids(await store.listStrategies({ statuses: ["active"], type: "mean_reversion" })),
      ).toEqual([]);
      expect(await store.listStrategies({ statuses: [] })).toEqual([]);
      await expect(
        store.listStrategies({ statuses: ["running" as StrategyRecord["status"]] }),
      ).rejects.toThrow(ValidationError);
    });

    it("lists orders most recent first, filtered, 100 by default and at most 1000", async () => {
      const orders = Array.from({ length: 105 }, (_, i) =>
        sampleOrder(i + 1, i % 2 === 0 ? "s1" : "s2", {
          // Pairs share a creation time: ties go by order id, descending.
          createdAt: at(Math.floor(i / 2)),
          instrument: i % 3 === 0 ? "ETH-USD" : "BTC-USD",
          status: i % 5 === 0 ? "filled" : "pending",
        }),
      );
      await store.commit({
        strategies: [sampleStrategy("s1"), sampleStrategy("s2")],
        orders,
      });
      const expected = [...orders].sort(
        (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.orderId < b.orderId ? 1 : -1),
      );
      const ids = (list: OrderRecord[]) => list.map((o) => o.orderId);
      expect(ids(await store.listOrders())).toEqual(ids(expected.slice(0, 100)));
      expect(ids(await store.listOrders({ limit: 1_000 }))).toEqual(ids(expected));
      expect(ids(await store.listOrders({ limit: 3 }))).toEqual(ids(expected.slice(0, 3)));
      const matching = (o: OrderRecord) =>
        o.strategyId === "s1" && o.instrument === "ETH-USD" && o.status === "filled";
      expect(
        ids(
          await store.listOrders({ strategyId: "s1", instrument: "ETH-USD", statuses: ["filled"] }),
        ),
      ).toEqual(ids(expected.filter(matching)));
      expect(
        ids(await store.listOrders({ statuses: ["filled", "pending"], limit: 1_000 })),
      ).toEqual(ids(expected));
      expect(await store.listOrders({ statuses: [] })).toEqual([]);
      expect(await store.listOrders({ strategyId: "s3" })).toEqual([]);
      for (const limit of [0, 1_001, 2.5]) {
        await expect(store.listOrders({ limit })).rejects.toThrow(ValidationError);
      }
      await expect(store.listOrders({ instrument: "btc" })).rejects.toThrow(ValidationError);
    });

    it("getOrder ignores id case and answers undefined for a malformed id", async () => {
      const order = sampleOrder(1, null);
      await store.commit({ orders: [order] });
      expect(await store.getOrder(order.orderId.toUpperCase())).toStrictEqual({ ...order });
      expect(await store.getOrder("not-a-uuid")).toBeUndefined();
      expect(await store.getOrder("")).toBeUndefined();
    });

    it("lists one order's trades oldest first, all trades most recent first", async () => {
      const a = sampleOrder(1, "s1");
      const b = sampleOrder(2, "s2", { instrument: "ETH-USD" });
      const trades: TradeRecord[] = [
        sampleTrade(3, a, { timestamp: at(30) }),
        sampleTrade(1, a, { timestamp: at(10) }),
        sampleTrade(2, a, { timestamp: at(10) }),
        sampleTrade(4, b, { timestamp: at(20) }),
      ];
      await store.commit({
        strategies: [sampleStrategy("s1"), sampleStrategy("s2")],
        orders: [a, b],
        trades,
      });
      const ids = (list: TradeRecord[]) => list.map((t) => t.tradeId);
      expect(ids(await store.listTrades({ orderId: a.orderId }))).toEqual([
        uuid(1, 2),
        uuid(2, 2),
        uuid(3, 2),
      ]);
      expect(ids(await store.listTrades({ orderId: a.orderId.toUpperCase(), limit: 2 }))).toEqual([
        uuid(1, 2),
        uuid(2, 2),
      ]);
      expect(ids(await store.listTrades())).toEqual([
        uuid(3, 2),
        uuid(4, 2),
        uuid(2, 2),
        uuid(1, 2),
      ]);
      expect(ids(await store.listTrades({ strategyId: "s2" }))).toEqual([uuid(4, 2)]);
      expect(ids(await store.listTrades({ instrument: "BTC-USD", limit: 1 }))).toEqual([
        uuid(3, 2),
      ]);
      await expect(store.listTrades({ orderId: "nope" })).rejects.toThrow(ValidationError);
    });

    it("lists positions by strategy, then instrument, filtered", async () => {
      const positions: PositionRecord[] = [
        samplePosition("b", "SOL-USD"),
        samplePosition("B", "BTC-USD"),
        samplePosition("a", "ETH-USD"),
        samplePosition("a", "BTC-USD"),
      ];
      await store.commit({ positions });
      const keys = (list: PositionRecord[]) => list.map((p) => `${p.strategyId}/${p.instrument}`);
      expect(keys(await store.listPositions())).toEqual([
        "B/BTC-USD",
        "a/BTC-USD",
        "a/ETH-USD",
        "b/SOL-USD",
      ]);
      expect(keys(await store.listPositions({ strategyId: "a" }))).toEqual([
        "a/BTC-USD",
        "a/ETH-USD",
      ]);
      expect(keys(await store.listPositions({ instrument: "BTC-USD" }))).toEqual([
        "B/BTC-USD",
        "a/BTC-USD",
      ]);
      await expect(store.listPositions({ strategyId: "a/b" })).rejects.toThrow(ValidationError);
    });

    it("keeps what was committed when the caller changes its objects afterwards", async () => {
      const parameters = { spreadBps: 10, nested: { x: 1 } };
      const createdAt = at(0);
      const strategy = sampleStrategy("s1", { parameters, createdAt });
      await store.commit({ strategies: [strategy] });
      parameters.nested.x = 2;
      createdAt.setTime(0);
      const read = await store.getStrategy("s1");
      expect(read?.parameters).toEqual({ spreadBps: 10, nested: { x: 1 } });
      expect(read?.createdAt).toEqual(at(0));
      read?.createdAt.setTime(0);
      expect((await store.getStrategy("s1"))?.createdAt).toEqual(at(0));
    });
  });
}
