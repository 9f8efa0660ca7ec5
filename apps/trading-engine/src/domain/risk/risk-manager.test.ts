import { describe, expect, it } from "vitest";
import type { OrderSide } from "../orders/order.js";
import { EMPTY_BOOK, type InstrumentBook } from "./exposure-ledger.js";
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
  maxGrossLeverage: 0,
  maxOrdersPerSecond: 3,
  maxDrawdown: 0.1,
};

function exposure(
  net = 0,
  open: Partial<Record<OrderSide, number>> = {},
  total = 0,
  book: Partial<InstrumentBook> = {},
): ExposureView {
  return {
    netPosition: () => net,
    openQuantity: (_instrument, side) => open[side] ?? 0,
    totalNotional: () => total,
    book: () => ({ ...EMPTY_BOOK, ...book }),
    portfolioValue: () => 1_000,
  };
}

const strategyLimits = {
  maxPosition: 2,
  maxNotional: 500,
  maxOpenOrders: 2,
  position: 1,
  openQuantitySameSide: 0,
  notional: 100,
  openOrders: 1,
};

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

  it("lets an operator's closing order through every limit, uncounted", () => {
    const risk = new RiskManager({ ...limits, maxTotalNotional: 1, maxGrossLeverage: 0.001 });
    for (const at of [0, 1, 2]) risk.recordOrder(T0 + at);
    risk.engage("manual", "kill", T0);
    // The strategy's sell of 10 closes its long, but moves the net position from 0 (another
    // strategy holds the short) to −10 with sells of 5 working: past the limit of 10.
    const close = order("sell", 10);
    const books = exposure(0, { sell: 5 }, 5_000, { positionValue: 1_000 });
    const own = { ...strategyLimits, maxPosition: 1, maxNotional: 1, openOrders: 2 };
    expect(risk.check(close, books, T0 + 3, { strategy: own })?.limit).toBe("circuit_breaker");
    risk.disengage(0, T0 + 3);
    expect(risk.check(close, books, T0 + 3, { strategy: own })?.limit).toBe("max_position_size");
    expect(risk.check(close, books, T0 + 3, { strategy: own, closing: true })).toBeUndefined();
    expect(risk.rejectedCount).toBe(2);
  });

  it("refuses at the total notional limit, except for orders that reduce the position", () => {
    const risk = new RiskManager(limits);
    expect(risk.check(order("buy", 1, 1_000), exposure(0, {}, 999_000), T0)).toBeUndefined();
    expect(risk.check(order("buy", 1, 1_000.01), exposure(0, {}, 999_000), T0)?.limit).toBe(
      "max_total_notional",
    );
    expect(
      risk.check(
        order("sell", 1, 1_000.01),
        exposure(5, {}, 999_000, { positionValue: 5_000 }),
        T0,
      ),
    ).toBeUndefined();
  });

  it("calls an order reducing only past the open orders on its side (total notional)", () => {
    const risk = new RiskManager({ ...limits, maxTotalNotional: 2_500 });
    // Short 2 000 with a buy of 2 000 working: another buy of 2 000 leaves the worst case at
    // 2 000 (long instead of short); a third adds 2 000 to it.
    const short = { positionValue: -2_000 };
    expect(
      risk.check(order("buy", 20), exposure(-20, {}, 2_000, { ...short, openBuyValue: 2_000 }), T0),
    ).toBeUndefined();
    const refused = risk.check(
      order("buy", 20),
      exposure(-20, {}, 2_000, { ...short, openBuyValue: 4_000 }),
      T0,
    );
    expect(refused?.limit).toBe("max_total_notional");
    expect(refused?.reason).toBe("max total notional exceeded: 2000 + 2000 > 2500");
  });

  it("refuses an order that reverses a position past the limit once the open orders filled", () => {
    const risk = new RiskManager({ ...limits, maxPositionSize: 30 });
    // Long 40 over a lowered limit of 30, with sells of 40 working: the book is flat once they
    // fill, so a further sell of 35 opens a short of 35.
    expect(risk.check(order("sell", 35), exposure(40, { sell: 40 }), T0)?.limit).toBe(
      "max_position_size",
    );
    expect(risk.check(order("sell", 30), exposure(40, { sell: 40 }), T0)).toBeUndefined();
    expect(risk.check(order("sell", 40), exposure(40), T0)).toBeUndefined();
    const own = {
      ...strategyLimits,
      maxPosition: 30,
      maxNotional: 0,
      maxOpenOrders: 0,
      position: 40,
      openQuantitySameSide: 40,
    };
    const engineOff = new RiskManager({ ...limits, maxPositionSize: 0 });
    expect(engineOff.check(order("sell", 35), exposure(), T0, { strategy: own })?.limit).toBe(
      "strategy_max_position",
    );
    expect(engineOff.check(order("sell", 30), exposure(), T0, { strategy: own })).toBeUndefined();
  });

  it("keeps total notional within the gross leverage × the portfolio's value", () => {
    const risk = new RiskManager({ ...limits, maxGrossLeverage: 2 });
    // Value 1 000, so 2 000 of exposure at most; 1 500 used.
    expect(risk.check(order("buy", 5), exposure(0, {}, 1_500), T0)).toBeUndefined();
    const refused = risk.check(order("buy", 5.01), exposure(0, {}, 1_500), T0);
    expect(refused?.limit).toBe("max_gross_leverage");
    expect(refused?.reason).toBe("gross leverage exceeded: 1500 + 501 > 2 × portfolio value 1000");
    const long = { positionValue: 1_500 };
    expect(risk.check(order("sell", 15), exposure(15, {}, 3_000, long), T0)).toBeUndefined();
    expect(
      risk.check(order("buy", 1), exposure(0, {}, 3_000), T0, { closing: true }),
    ).toBeUndefined();
    const { maxGrossLeverage: _unset, ...withoutLeverage } = limits;
    expect(new RiskManager(withoutLeverage).limits.maxGrossLeverage).toBe(1);
    expect(() => risk.setLimits({ maxGrossLeverage: 1_001 })).toThrow(/max_gross_leverage/);
  });

  it("limits the order rate over a sliding second", () => {
    const risk = new RiskManager(limits);
    for (const at of [0, 100, 200]) risk.recordOrder(T0 + at);
    expect(risk.check(order("buy", 1), exposure(), T0 + 999)?.limit).toBe("max_orders_per_second");
    expect(risk.check(order("buy", 1), exposure(), T0 + 1_000)).toBeUndefined();
  });

  it("applies a strategy's own limits after the engine's", () => {
    const risk = new RiskManager(limits);
    const strategy = strategyLimits;
    expect(risk.check(order("buy", 1), exposure(), T0, { strategy })).toBeUndefined();
    expect(risk.check(order("buy", 1.5), exposure(), T0, { strategy })?.limit).toBe(
      "strategy_max_position",
    );
    expect(risk.check(order("buy", 1, 401), exposure(), T0, { strategy })?.limit).toBe(
      "strategy_max_notional",
    );
    expect(
      risk.check(order("buy", 1), exposure(), T0, { strategy: { ...strategy, openOrders: 2 } })
        ?.limit,
    ).toBe("strategy_max_open_orders");
    // Its notional counts what an order adds to the worst case of its book: a sell of 401
    // against a long of 100 adds 201, or 301 when sells of 100 already work on the long.
    const used = { ...strategy, notional: 200 };
    const long = { positionValue: 100 };
    expect(
      risk.check(order("sell", 1, 401), exposure(0, {}, 0, long), T0, { strategy: used }),
    ).toBeUndefined();
    const refused = risk.check(
      order("sell", 1, 401),
      exposure(0, {}, 0, { ...long, openSellValue: 100 }),
      T0,
      { strategy: used },
    );
    expect(refused?.limit).toBe("strategy_max_notional");
    expect(refused?.reason).toBe("strategy max notional exceeded: 200 + 301 > 500");
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
    expect(risk.check(order("sell", 1), exposure(1), T0, { closing: true })).toBeUndefined();
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

  it("keys overrides by instrument symbols only, and drops other stored keys on restore", () => {
    const risk = new RiskManager(limits);
    for (const key of ["'; DROP TABLE orders; --", "K".repeat(100_000), "btc-usd", ""]) {
      expect(() => risk.setLimits({ instrumentMaxPositionSizes: { [key]: 1 } })).toThrow(
        /instrument_max_position_sizes keys must be instrument symbols/,
      );
    }
    const many = Object.fromEntries(
      Array.from({ length: 1_000 }, (_, i) => [`A${String(i).padStart(4, "0")}-USD`, 1]),
    );
    expect(() => risk.setLimits({ instrumentMaxPositionSizes: many })).toThrow(/at most 1000/);
    expect(risk.limits).toEqual(limits);
    risk.restore(
      { ...limits, instrumentMaxPositionSizes: { "'; DROP TABLE orders; --": 1, "SOL-USD": 4 } },
      risk.breaker,
    );
    expect(risk.limits.instrumentMaxPositionSizes).toEqual({ "SOL-USD": 4 });
  });
});
