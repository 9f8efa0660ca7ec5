import type { Portfolio } from "../portfolio/portfolio.js";
import { positionLimitOf } from "../risk/risk-limits.js";
import type { RiskManager } from "../risk/risk-manager.js";

/** How much of each risk limit is used (a ratio of 0 when the limit is off). */
export interface RiskUtilization {
  readonly instruments: readonly {
    readonly instrument: string;
    readonly netPosition: number;
    readonly maxPositionSize: number;
    readonly utilization: number;
  }[];
  readonly totalNotional: number;
  readonly totalNotionalUtilization: number;
  /** Total notional ÷ the portfolio's value (+∞ when there is exposure and no value left). */
  readonly grossLeverage: number;
  readonly grossLeverageUtilization: number;
  readonly ordersLastSecond: number;
  readonly orderRateUtilization: number;
  readonly drawdown: number;
  readonly drawdownUtilization: number;
  readonly rejectedOrders: number;
}

/** What {@link measureRiskUtilization} measures: the engine's books at one moment. */
export interface RiskUsage {
  readonly risk: RiskManager;
  readonly portfolio: Portfolio;
  /** The engine's total notional (see `TradingEngine.totalNotional`). */
  readonly totalNotional: number;
  /** Instruments with a position or an open order. */
  readonly instruments: readonly string[];
}

/** How much of each of `usage.risk`'s limits the books use at `now`. */
export function measureRiskUtilization(usage: RiskUsage, now: number): RiskUtilization {
  const { risk, portfolio, totalNotional } = usage;
  const limits = risk.limits;
  const ratio = (used: number, limit: number) => (limit > 0 ? used / limit : 0);
  const ordersLastSecond = risk.ordersLastSecond(now);
  const { drawdown, totalValue } = portfolio.valuation(now);
  const grossLeverage =
    totalValue > 0 ? totalNotional / totalValue : totalNotional > 0 ? Infinity : 0;
  return {
    instruments: usage.instruments.map((instrument) => {
      const net = portfolio.netPosition(instrument);
      const max = positionLimitOf(limits, instrument);
      return {
        instrument,
        netPosition: net,
        maxPositionSize: max,
        utilization: ratio(Math.abs(net), max),
      };
    }),
    totalNotional,
    totalNotionalUtilization: ratio(totalNotional, limits.maxTotalNotional),
    grossLeverage,
    grossLeverageUtilization: ratio(grossLeverage, limits.maxGrossLeverage),
    ordersLastSecond,
    orderRateUtilization: ratio(ordersLastSecond, limits.maxOrdersPerSecond),
    drawdown,
    drawdownUtilization: ratio(drawdown, limits.maxDrawdown),
    rejectedOrders: risk.rejectedCount,
  };
}
