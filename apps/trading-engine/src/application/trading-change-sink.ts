import type { MetricsPort } from "@tse/metrics-port";
import { ConflatingHub } from "@tse/service-kit";
import type { EngineChanges } from "../domain/engine/change-set.js";
import type { TradingEnginePorts } from "../domain/engine/trading-engine-ports.js";
import {
  OPEN_ORDER_STATUSES,
  type OrderSnapshot,
  type OrderStatus,
} from "../domain/orders/order.js";
import { type PositionSnapshot, positionKey } from "../domain/portfolio/position.js";
import type { RiskRejection } from "../domain/risk/risk-manager.js";
import type { TradingHistory } from "./trading-history.js";
import { describeTradingMetrics, TRADING_METRICS } from "./trading-metrics.js";

/** Limits of the update streams. */
export interface UpdateStreamLimits {
  readonly maxStreams: number;
  /** Distinct orders or positions a stream may fall behind by before it is ended. */
  readonly maxStreamBacklog: number;
}

/** What the change sink is wired to. */
export interface TradingChangeSinkPorts {
  readonly history: TradingHistory;
  readonly metrics: MetricsPort;
  /** High-resolution ms, for latency histograms. */
  readonly elapsedMs: () => number;
}

/**
 * Where the engine's changes go — the store, the order and position update streams, the
 * metrics — built before the engine and handed to it at construction
 * ({@link TradingChangeSink.enginePorts}). Describes the trading metrics.
 */
export class TradingChangeSink {
  readonly #ports: TradingChangeSinkPorts;
  /** Every order change, to the order update streams. */
  readonly orderUpdates: ConflatingHub<OrderSnapshot>;
  /** Every position change, to the portfolio update streams. */
  readonly positionUpdates: ConflatingHub<PositionSnapshot>;
  readonly #lastStatus = new Map<string, OrderStatus>();

  constructor(ports: TradingChangeSinkPorts, limits: UpdateStreamLimits) {
    this.#ports = ports;
    const streams = {
      overflow: { kind: "close", maxPending: limits.maxStreamBacklog },
      limits: { maxSubscribers: limits.maxStreams },
    } as const;
    this.orderUpdates = new ConflatingHub({ ...streams, keyOf: (o) => o.id });
    this.positionUpdates = new ConflatingHub({
      ...streams,
      keyOf: (p) => positionKey(p.strategyId, p.instrument),
    });
    describeTradingMetrics(ports.metrics);
  }

  /** The engine's ports this sink serves: its changes, its risk rejections, its check timing. */
  enginePorts(): Pick<TradingEnginePorts, "onChanges" | "onRiskRejection" | "timeRiskCheck"> {
    return {
      onChanges: (changes) => this.handleChanges(changes),
      onRiskRejection: (rejection) => this.handleRejection(rejection),
      timeRiskCheck: () => this.timeRiskCheck(),
    };
  }

  /** Stores one operation's changes, counts order status changes and fills, streams them. */
  handleChanges(changes: EngineChanges): void {
    this.#ports.history.record(changes);
    const { metrics } = this.#ports;
    for (const order of changes.orders) {
      if (this.#lastStatus.get(order.id) === order.status) continue;
      metrics.incCounter(TRADING_METRICS.orders, {
        strategy: order.strategyId ?? "",
        side: order.side,
        type: order.type,
        status: order.status,
      });
      if (OPEN_ORDER_STATUSES.includes(order.status)) {
        this.#lastStatus.set(order.id, order.status);
      } else {
        this.#lastStatus.delete(order.id);
      }
    }
    for (const fill of changes.fills) {
      metrics.incCounter(TRADING_METRICS.fills, {
        strategy: fill.strategyId ?? "",
        instrument: fill.instrument,
        side: fill.side,
        liquidity: fill.liquidity,
      });
    }
    if (changes.orders.length > 0) this.orderUpdates.publish(changes.orders);
    if (changes.positions.length > 0) this.positionUpdates.publish(changes.positions);
  }

  /** Counts a risk rejection by its limit. */
  handleRejection(rejection: RiskRejection): void {
    this.#ports.metrics.incCounter(TRADING_METRICS.rejections, { limit: rejection.limit });
  }

  /** Times a risk check: call before it, and the function returned after it. */
  timeRiskCheck(): () => void {
    const started = this.#ports.elapsedMs();
    return () =>
      this.#ports.metrics.observeHistogram(
        TRADING_METRICS.riskCheck,
        (this.#ports.elapsedMs() - started) / 1000,
      );
  }
}
