import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { TradingService } from "@tse/proto/trading/v1/trading_pb";
import { type ServiceAccess, serviceAccess } from "@tse/service-kit";

/**
 * Which of the engine's RPCs change state (and need a bearer token once `AUTH_TOKENS` is set):
 * the strategy lifecycle, order cancels, risk limits, forced closes and the circuit breaker.
 * Statuses, listings, the portfolio and the update streams read. A method added to either
 * proto fails the build until it is classified here.
 */
export const engineRpcAccess: readonly ServiceAccess[] = [
  serviceAccess(TradingService, {
    startStrategy: "write",
    stopStrategy: "write",
    pauseStrategy: "write",
    resumeStrategy: "write",
    getStrategyStatus: "read",
    listStrategies: "read",
    getPositions: "read",
    getPortfolio: "read",
    listOrders: "read",
    cancelOrder: "write",
    streamOrderUpdates: "read",
    streamPortfolioUpdates: "read",
  }),
  serviceAccess(RiskService, {
    setRiskLimits: "write",
    getRiskStatus: "read",
    forcePositionClose: "write",
    enableCircuitBreaker: "write",
    disableCircuitBreaker: "write",
  }),
];
