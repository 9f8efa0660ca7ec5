import { describe, expect, it } from "vitest";
import {
  at,
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
} from "../contract/trading-samples.js";
import { validateTradingChanges } from "../model/trading-changes.js";
import { PendingChanges } from "./pending-changes.js";

describe("PendingChanges", () => {
  it("merges batches: later strategies, orders and positions win; the first trade of an id stays", () => {
    const pending = new PendingChanges();
    const order = sampleOrder(1, "s1");
    const trade = sampleTrade(1, order);
    pending.add(
      validateTradingChanges({
        strategies: [sampleStrategy("s1", { status: "inactive" })],
        orders: [order],
        trades: [trade],
        positions: [samplePosition("s1", "BTC-USD", { quantity: 1 })],
      }),
    );
    pending.add(
      validateTradingChanges({
        strategies: [sampleStrategy("s1", { status: "active" }), sampleStrategy("s2")],
        orders: [sampleOrder(1, "s1", { status: "filled", filledQuantity: 0.5 })],
        trades: [{ ...trade, price: 1 }, sampleTrade(2, order)],
        positions: [samplePosition("s1", "BTC-USD", { quantity: 2 })],
      }),
    );
    const merged = pending.changes();
    expect(merged.strategies.map((s) => [s.strategyId, s.status])).toEqual([
      ["s1", "active"],
      ["s2", "inactive"],
    ]);
    expect(merged.orders.map((o) => o.status)).toEqual(["filled"]);
    expect(merged.trades.map((t) => t.price)).toEqual([trade.price, trade.price]);
    expect(merged.trades.map((t) => t.tradeId)).toEqual([
      trade.tradeId,
      sampleTrade(2, order).tradeId,
    ]);
    expect(merged.positions.map((p) => p.quantity)).toEqual([2]);
    expect(pending.size).toBe(6);
  });

  it("merges engine state by key: a later record of the same key wins", () => {
    const pending = new PendingChanges();
    pending.add(
      validateTradingChanges({
        engineState: [
          sampleEngineState("circuit_breaker", { value: { engaged: true } }),
          sampleEngineState("risk_limits", { value: { maxDrawdownPct: 5 } }),
        ],
      }),
    );
    pending.add(
      validateTradingChanges({
        engineState: [
          sampleEngineState("circuit_breaker", { value: { engaged: false }, updatedAt: at(40) }),
        ],
        positions: [samplePosition("s1")],
      }),
    );
    const newer = new PendingChanges();
    newer.add(
      validateTradingChanges({
        engineState: [sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 } })],
      }),
    );
    pending.absorb(newer);
    const merged = pending.changes();
    expect(merged.engineState.map((e) => [e.key, e.value, e.updatedAt])).toEqual([
      ["circuit_breaker", { engaged: false }, at(40)],
      ["risk_limits", { maxDrawdownPct: 3 }, at(20)],
    ]);
    expect(merged.positions).toHaveLength(1);
    expect(pending.size).toBe(3);
  });

  it("absorb treats the other set as newer", () => {
    const older = new PendingChanges();
    older.add(validateTradingChanges({ strategies: [sampleStrategy("s1", { name: "old" })] }));
    const newer = new PendingChanges();
    newer.add(validateTradingChanges({ strategies: [sampleStrategy("s1", { name: "new" })] }));
    older.absorb(newer);
    expect(older.changes().strategies.map((s) => s.name)).toEqual(["new"]);
    expect(older.size).toBe(1);
  });
});
