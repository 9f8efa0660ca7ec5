import type { MetricsPort } from "@tse/metrics-port";

/** Metric names of the trading engine. */
export const TRADING_METRICS = Object.freeze({
  orders: "trading_orders_total",
  fills: "trading_fills_total",
  rejections: "trading_risk_rejections_total",
  decision: "trading_strategy_decision_duration_seconds",
  riskCheck: "trading_risk_check_duration_seconds",
  position: "trading_position_quantity",
  strategyPnl: "trading_strategy_pnl",
  portfolioValue: "trading_portfolio_value",
  portfolioPnl: "trading_portfolio_pnl",
  drawdown: "trading_portfolio_drawdown",
  breaker: "trading_circuit_breaker_engaged",
  strategies: "trading_strategies",
});

/** Describes every {@link TRADING_METRICS} metric to `metrics`: its kind, help and buckets. */
export function describeTradingMetrics(metrics: MetricsPort): void {
  metrics.describe(TRADING_METRICS.orders, "counter", {
    help: "Order status changes, by strategy, side, type and new status.",
  });
  metrics.describe(TRADING_METRICS.fills, "counter", {
    help: "Fills, by strategy, instrument, side and liquidity.",
  });
  metrics.describe(TRADING_METRICS.rejections, "counter", {
    help: "Orders refused by a pre-trade risk check, by limit.",
  });
  metrics.describe(TRADING_METRICS.decision, "histogram", {
    help: "Time from a quote's arrival to the end of every strategy decision on it, seconds.",
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
  });
  metrics.describe(TRADING_METRICS.riskCheck, "histogram", {
    help: "Time of one pre-trade risk check, seconds.",
    buckets: [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005],
  });
  metrics.describe(TRADING_METRICS.position, "gauge", {
    help: "Signed position, base units, by strategy and instrument.",
  });
  metrics.describe(TRADING_METRICS.strategyPnl, "gauge", {
    help: "PnL of a strategy by kind (realized, unrealized, total), quote currency.",
  });
  metrics.describe(TRADING_METRICS.portfolioValue, "gauge", {
    help: "Portfolio total value, quote currency.",
  });
  metrics.describe(TRADING_METRICS.portfolioPnl, "gauge", {
    help: "Portfolio PnL by kind (realized, unrealized, total).",
  });
  metrics.describe(TRADING_METRICS.drawdown, "gauge", {
    help: "Drawdown of the portfolio from its peak, 0..1.",
  });
  metrics.describe(TRADING_METRICS.breaker, "gauge", {
    help: "1 while the circuit breaker is engaged.",
  });
  metrics.describe(TRADING_METRICS.strategies, "gauge", { help: "Strategies by status." });
}
