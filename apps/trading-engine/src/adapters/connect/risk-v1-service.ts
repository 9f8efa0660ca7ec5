import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  type CircuitBreaker,
  CircuitBreakerSchema,
  CircuitBreakerState,
  CircuitBreakerTrigger,
  type RiskLimits as RiskLimitsMessage,
  RiskLimitsSchema,
  RiskService,
} from "@tse/proto/trading/v1/risk_pb";
import { checkText } from "../../application/request-checks.js";
import type { RiskDesk } from "../../application/risk-desk.js";
import type { RiskLimits } from "../../domain/risk/risk-limits.js";
import type { CircuitBreakerState as DomainBreaker } from "../../domain/risk/risk-manager.js";
import { strictJson } from "./strict-json.js";
import { toOrderMessage } from "./trading-messages.js";
import { mapErrors } from "./trading-v1-service.js";

function toLimitsMessage(limits: RiskLimits): RiskLimitsMessage {
  return create(RiskLimitsSchema, {
    maxPositionSize: limits.maxPositionSize,
    instrumentMaxPositionSizes: { ...limits.instrumentMaxPositionSizes },
    maxTotalNotional: limits.maxTotalNotional,
    maxOrdersPerSecond: limits.maxOrdersPerSecond,
    maxDrawdown: limits.maxDrawdown,
    maxGrossLeverage: limits.maxGrossLeverage,
  });
}

function toBreakerMessage(breaker: DomainBreaker): CircuitBreaker {
  return create(CircuitBreakerSchema, {
    state: breaker.engaged ? CircuitBreakerState.ENGAGED : CircuitBreakerState.DISENGAGED,
    trigger:
      breaker.trigger === "manual"
        ? CircuitBreakerTrigger.MANUAL
        : breaker.trigger === "drawdown"
          ? CircuitBreakerTrigger.DRAWDOWN
          : CircuitBreakerTrigger.UNSPECIFIED,
    reason: breaker.reason,
    ...(breaker.engagedAt === undefined ? {} : { engagedAt: timestampFromMs(breaker.engagedAt) }),
    ...(breaker.disengagedAt === undefined
      ? {}
      : { disengagedAt: timestampFromMs(breaker.disengagedAt) }),
  });
}

/**
 * `trading.v1.RiskService` on the risk desk: limits (validated as a whole, nothing changed on a
 * bad one), status with utilisation, force close, and the circuit breaker. JSON requests are
 * parsed strictly (`STRICT_JSON`).
 */
export function registerRiskV1(router: ConnectRouter, desk: RiskDesk): void {
  strictJson(router).service(RiskService, {
    setRiskLimits: (request) =>
      mapErrors(async () => {
        const l = request.limits;
        const limits = await desk.setRiskLimits({
          ...(l?.maxPositionSize === undefined ? {} : { maxPositionSize: l.maxPositionSize }),
          ...(l === undefined ? {} : { instrumentMaxPositionSizes: l.instrumentMaxPositionSizes }),
          ...(l?.maxTotalNotional === undefined ? {} : { maxTotalNotional: l.maxTotalNotional }),
          ...(l?.maxOrdersPerSecond === undefined
            ? {}
            : { maxOrdersPerSecond: l.maxOrdersPerSecond }),
          ...(l?.maxDrawdown === undefined ? {} : { maxDrawdown: l.maxDrawdown }),
          ...(l?.maxGrossLeverage === undefined ? {} : { maxGrossLeverage: l.maxGrossLeverage }),
        });
        return { limits: toLimitsMessage(limits) };
      }),

    getRiskStatus: () => {
      const { limits, breaker, utilization, timestamp } = desk.status();
      return {
        limits: toLimitsMessage(limits),
        circuitBreaker: toBreakerMessage(breaker),
        utilization: {
          ...utilization,
          instruments: utilization.instruments.map((i) => ({ ...i })),
        },
        timestamp: timestampFromMs(timestamp),
      };
    },

    forcePositionClose: (request) =>
      mapErrors(async () => {
        const orders = await desk.forceClose(
          {
            ...(request.strategyId === "" ? {} : { strategyId: request.strategyId }),
            ...(request.instrument === "" ? {} : { instrument: request.instrument }),
          },
          checkText("reason", request.reason),
        );
        return { orders: orders.map(toOrderMessage) };
      }),

    enableCircuitBreaker: (request) =>
      mapErrors(() => {
        const cancelled = desk.engageCircuitBreaker(request.reason);
        return { circuitBreaker: toBreakerMessage(desk.breaker), cancelledOrderIds: cancelled };
      }),

    disableCircuitBreaker: (request) =>
      mapErrors(() => {
        checkText("reason", request.reason);
        desk.releaseCircuitBreaker();
        return { circuitBreaker: toBreakerMessage(desk.breaker) };
      }),
  });
}
