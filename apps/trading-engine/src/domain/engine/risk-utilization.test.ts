import { describe, expect, it } from "vitest";
import { T0 } from "../../testing/engine-fixtures.js";
import type { Fill, OrderSide } from "../orders/order.js";
import { Portfolio } from "../portfolio/portfolio.js";
import { EMPTY_BOOK } from "../risk/exposure-ledger.js";
import type { RiskLimits } from "../risk/risk-limits.js";
import { type ExposureView, RiskManager } from "../risk/risk-manager.js";
import { measureRiskUtilization } from "./risk-utilization.js";

const LIMITS_OFF: RiskLimits = {
  maxPositionSize: 0,
  instrumentMaxPositionSizes: {},
  maxTotalNotional: 0,
  maxGrossLeverage: 0,
  maxOrdersPerSecond: 0,
  maxDrawdown: 0,
};

let fillSequence = 0;
function fill(instrument: string, side: OrderSide, quantity: number, price: number): Fill {
  fillSequence += 1;
  return {
    id: `f${fillSequence}`,
    orderId: `o${fillSequence}`,
    strategyId: "s",
    instrument,
    side,
    price,
    quantity,
    fee: 0,
    liquidity: "taker",
    timestamp: T0,
  };
}

describe("measureRiskUtilization", () => {
  it("reports every ratio as 0 when the limits are off, whatever is used", () => {
    const risk = new RiskManager(LIMITS_OFF);
    const portfolio = new Portfolio(1_000);
    portfolio.applyFill(fill("BTC-USD", "buy", 1, 500), "s");
    risk.recordOrder(T0);
    const usage = measureRiskUtilization(
      { risk, portfolio, totalNotional: 500, instruments: ["BTC-USD"] },
      T0,
    );
    expect(usage).toMatchObject({
      totalNotionalUtilization: 0,
      grossLeverageUtilization: 0,
      orderRateUtilization: 0,
      drawdownUtilization: 0,
      ordersLastSecond: 1,
    });
    expect(usage.instruments).toEqual([
      { instrument: "BTC-USD", netPosition: 1, maxPositionSize: 0, utilization: 0 },
    ]);
  });

  it("divides what is used by each limit, the position by its absolute size and override", () => {
    const risk = new RiskManager({
      ...LIMITS_OFF,
      maxPositionSize: 4,
      instrumentMaxPositionSizes: { "ETH-USD": 10 },
      maxTotalNotional: 2_000,
      maxGrossLeverage: 2,
      maxOrdersPerSecond: 4,
    });
    const portfolio = new Portfolio(1_000);
    portfolio.applyFill(fill("BTC-USD", "sell", 2, 100), "s");
    portfolio.applyFill(fill("ETH-USD", "buy", 5, 10), "s");
    for (const at of [T0 - 2_000, T0 - 500, T0]) risk.recordOrder(at);
    const usage = measureRiskUtilization(
      { risk, portfolio, totalNotional: 500, instruments: ["BTC-USD", "ETH-USD"] },
      T0,
    );
    expect(usage.instruments).toEqual([
      { instrument: "BTC-USD", netPosition: -2, maxPositionSize: 4, utilization: 0.5 },
      { instrument: "ETH-USD", netPosition: 5, maxPositionSize: 10, utilization: 0.5 },
    ]);
    expect(usage.totalNotional).toBe(500);
    expect(usage.totalNotionalUtilization).toBe(0.25);
    // Value: 1 000 + 200 (short proceeds) − 50 (ETH bought) − 200 (short marked) + 50 = 1 000.
    expect(usage.grossLeverage).toBe(0.5);
    expect(usage.grossLeverageUtilization).toBe(0.25);
    expect(usage.ordersLastSecond).toBe(2);
    expect(usage.orderRateUtilization).toBe(0.5);
  });

  it("measures the drawdown from the portfolio's peak against the breaker's limit", () => {
    const risk = new RiskManager({ ...LIMITS_OFF, maxDrawdown: 0.5 });
    const portfolio = new Portfolio(1_000);
    portfolio.applyFill(fill("BTC-USD", "buy", 10, 100), "s");
    portfolio.mark("BTC-USD", 80);
    const usage = measureRiskUtilization(
      { risk, portfolio, totalNotional: 800, instruments: [] },
      T0,
    );
    expect(usage.drawdown).toBeCloseTo(0.2, 12);
    expect(usage.drawdownUtilization).toBeCloseTo(0.4, 12);
    expect(usage.instruments).toEqual([]);
  });

  it("reports infinite leverage with exposure and nothing left, and 0 without exposure", () => {
    const risk = new RiskManager(LIMITS_OFF);
    const broke = new Portfolio(100);
    broke.applyFill(fill("BTC-USD", "buy", 10, 100), "s");
    broke.mark("BTC-USD", 10);
    expect(broke.totalValue()).toBe(-800);
    expect(
      measureRiskUtilization({ risk, portfolio: broke, totalNotional: 10, instruments: [] }, T0)
        .grossLeverage,
    ).toBe(Number.POSITIVE_INFINITY);
    expect(
      measureRiskUtilization({ risk, portfolio: broke, totalNotional: 0, instruments: [] }, T0)
        .grossLeverage,
    ).toBe(0);
  });

  it("reports the orders the risk checks refused", () => {
    const risk = new RiskManager({ ...LIMITS_OFF, maxPositionSize: 1 });
    const portfolio = new Portfolio(1_000);
    const exposure: ExposureView = {
      netPosition: () => 0,
      totalNotional: () => 0,
      openQuantity: () => 0,
      book: () => EMPTY_BOOK,
      portfolioValue: () => 1_000,
    };
    const refused = risk.check(
      { strategyId: "s", instrument: "BTC-USD", side: "buy", quantity: 2, price: 1 },
      exposure,
      T0,
    );
    expect(refused).toBeDefined();
    expect(
      measureRiskUtilization({ risk, portfolio, totalNotional: 0, instruments: [] }, T0)
        .rejectedOrders,
    ).toBe(1);
  });
});
