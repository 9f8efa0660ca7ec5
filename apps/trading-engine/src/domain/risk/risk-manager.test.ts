import { describe, expect, it } from "vitest";
import type { OrderSide } from "../orders/order.js";
import { changeRiskLimits, type RiskLimits } from "./risk-limits.js";
import {
  CircuitBreakerError,
  type ExposureView,
  type ProposedOrder,
  RiskManager,
} from "./risk-manager.js";

const T0 = Date.UTC(2026, 10, 23);
const limits: RiskLimits = {
  maxPositionSize: 10,
  instrumentMaxPositionSizes: { "ETH-USD": 100 },
  maxTotalNotional: 1_000_000,
  maxOrdersPerSecond: 3,
  maxDrawdown: 0.1,
};

function exposure(net = 0, open: Partial<Record<OrderSide, number>> = {}, total = 0): ExposureView {
  return {
    netPosition: () => net,
    openQuantity: (_instrument, side) => open[side] ?? 0,
    totalNotional: () => total,
  };
}

function order(
  side: OrderSide,
  quantity: number,
  price = 100,
  instrument = "BTC-USD",
): ProposedOrder {
  return { strategyId: "s-1", instrument, side, quantity, price };
}

describe("RiskManager", () => {
  it("allows an order that lands exactly on the position limit and refuses one past it", () => {
    const risk = new RiskManager(limits);
    expect(risk.check(order("buy", 4), exposure(6), T0)).toBeUndefined();
    const refused = risk.check(order("buy", 4.00000001), exposure(6), T0);
    expect(refused?.limit).toBe("max_position_size");
    expect(refused?.reason).toMatch(/max position size exceeded: BTC-USD would reach 10\.00000001/);
    expect(risk.rejectedCount).toBe(1);
  });

  it("counts open orders of the same side, uses per-instrument overrides, and always lets risk shrink", () => {
    const risk = new RiskManager(limits);
    expect(risk.check(order("buy", 3), exposure(6, { buy: 2 }), T0)?.limit).toBe(
      "max_position_size",
    );
    expect(risk.check(order("buy", 50, 10, "ETH-USD"), exposure(40), T0)).toBeUndefined();
    expect(risk.check(order("sell", 5), exposure(14), T0)).toBeUndefined();
    expect(risk.check(order("sell", 30), exposure(14), T0)?.limit).toBe("max_position_size");
  });

  it("refuses at the total notional limit, except for orders that reduce the position", () => {
    const risk = new RiskManager(limits);
    expect(risk.check(order("buy", 1, 1_000), exposure(0, {}, 999_000), T0)).toBeUndefined();
    expect(risk.check(order("buy", 1, 1_000.01), exposure(0, {}, 999_000), T0)?.limit).toBe(
      "max_total_notional",
    );
    expect(risk.check(order("sell", 1, 1_000.01), exposure(5, {}, 999_000), T0)).toBeUndefined();
  });

  it("limits the order rate over a sliding second", () => {
    const risk = new RiskManager(limits);
    for (const at of [0, 100, 200]) risk.recordOrder(T0 + at);
    expect(risk.check(order("buy", 1), exposure(), T0 + 999)?.limit).toBe("max_orders_per_second");
    expect(risk.check(order("buy", 1), exposure(), T0 + 1_000)).toBeUndefined();
  });

  it("applies a strategy's own limits after the engine's", () => {
    const risk = new RiskManager(limits);
    const strategy = {
      maxPosition: 2,
      maxNotional: 500,
      maxOpenOrders: 2,
      position: 1,
      openQuantitySameSide: 0,
      notional: 100,
      openOrders: 1,
    };
    expect(risk.check(order("buy", 1), exposure(), T0, strategy)).toBeUndefined();
    expect(risk.check(order("buy", 1.5), exposure(), T0, strategy)?.limit).toBe(
      "strategy_max_position",
    );
    expect(risk.check(order("buy", 1, 401), exposure(), T0, strategy)?.limit).toBe(
      "strategy_max_notional",
    );
    expect(risk.check(order("buy", 1), exposure(), T0, { ...strategy, openOrders: 2 })?.limit).toBe(
      "strategy_max_open_orders",
    );
  });

  it("engages the breaker by hand or on drawdown, blocks orders, and releases only below the limit", () => {
    const risk = new RiskManager(limits);
    expect(risk.watchDrawdown(0.0999, T0)).toBe(false);
    expect(risk.watchDrawdown(0.1, T0 + 1)).toBe(true);
    expect(risk.breaker).toMatchObject({
      engaged: true,
      trigger: "drawdown",
      reason: "drawdown 10.0 % ≥ 10.0 %",
    });
    expect(risk.check(order("buy", 1), exposure(), T0)?.limit).toBe("circuit_breaker");
    expect(risk.check(order("sell", 1), exposure(1), T0, undefined, true)).toBeUndefined();
    expect(() => risk.disengage(0.12, T0 + 2)).toThrow(CircuitBreakerError);
    expect(risk.breaker.engaged).toBe(true);
    expect(risk.disengage(0.05, T0 + 3)).toBe(true);
    expect(risk.breaker).toMatchObject({ engaged: false, engagedAt: T0 + 1, disengagedAt: T0 + 3 });
    expect(risk.engage("manual", "maintenance", T0 + 4)).toBe(true);
    expect(risk.engage("manual", "again", T0 + 5)).toBe(false);
    expect(risk.breaker.reason).toBe("maintenance");
  });

  it("validates limit changes and changes nothing on a bad one", () => {
    const risk = new RiskManager(limits);
    expect(() => risk.setLimits({ maxDrawdown: 1.5 })).toThrow(/max_drawdown/);
    expect(() => risk.setLimits({ maxPositionSize: -1 })).toThrow(/max_position_size/);
    expect(() => risk.setLimits({ maxOrdersPerSecond: 1.5 })).toThrow(/integer/);
    expect(risk.limits).toEqual(limits);
    const changed = changeRiskLimits(limits, {
      instrumentMaxPositionSizes: { "ETH-USD": 0, "SOL-USD": 5 },
    });
    expect(changed.instrumentMaxPositionSizes).toEqual({ "SOL-USD": 5 });
  });
});
