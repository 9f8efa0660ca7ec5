import type { RiskUtilization } from "../domain/engine/risk-utilization.js";
import type { TradingEngine } from "../domain/engine/trading-engine.js";
import type { OrderSnapshot } from "../domain/orders/order.js";
import type { RiskLimits, RiskLimitsChange } from "../domain/risk/risk-limits.js";
import type { CircuitBreakerState } from "../domain/risk/risk-manager.js";
import type { InstrumentCatalog } from "./instrument-catalog.js";
import { requireKnownInstrument } from "./instrument-checks.js";
import { checkText } from "./request-checks.js";

/** What the risk desk is wired to. */
export interface RiskDeskPorts {
  readonly engine: TradingEngine;
  readonly catalog: InstrumentCatalog;
  /** Wall-clock ms. */
  readonly now: () => number;
}

/** The risk state at one moment (see {@link RiskDesk.status}). */
export interface RiskStatus {
  readonly limits: RiskLimits;
  readonly breaker: CircuitBreakerState;
  readonly utilization: RiskUtilization;
  /** When it was measured, epoch ms. */
  readonly timestamp: number;
}

/**
 * The risk controls as a service: validates limit changes and force closes against the
 * instruments that exist before handing them to the engine, so a typo changes nothing and
 * never passes for a successful no-op.
 */
export class RiskDesk {
  readonly #ports: RiskDeskPorts;

  constructor(ports: RiskDeskPorts) {
    this.#ports = ports;
  }

  /** The circuit breaker. */
  get breaker(): CircuitBreakerState {
    return this.#ports.engine.breaker;
  }

  /** The limits, the breaker and how much of each limit is used, at one moment. */
  status(): RiskStatus {
    const { engine } = this.#ports;
    const timestamp = this.#ports.now();
    const utilization = engine.riskUtilization(timestamp);
    return { limits: engine.riskLimits, breaker: engine.breaker, utilization, timestamp };
  }

  /**
   * Engages the breaker by hand for `reason` (checked as free text, see `checkText`), cancelling
   * every open order; returns the ids of the orders cancelled (none when it was engaged).
   */
  engageCircuitBreaker(reason: string): string[] {
    return this.#ports.engine.engageCircuitBreaker(checkText("reason", reason), this.#ports.now());
  }

  /** Releases the breaker; a `CircuitBreakerError` while the drawdown still breaks the limit. */
  releaseCircuitBreaker(): void {
    this.#ports.engine.releaseCircuitBreaker(this.#ports.now());
  }

  /**
   * Changes risk limits, all or nothing (see `changeRiskLimits`: a `RangeError` for a bad
   * value). A new per-instrument override must name an instrument the engine trades or the
   * feed has (`invalid` otherwise); removing one (0) needs only a well-formed key.
   */
  async setRiskLimits(change: RiskLimitsChange): Promise<RiskLimits> {
    for (const [instrument, value] of Object.entries(change.instrumentMaxPositionSizes ?? {})) {
      if (value === 0) continue;
      await requireKnownInstrument(
        "instrument_max_position_sizes",
        instrument,
        this.#ports,
        "invalid",
      );
    }
    return this.#ports.engine.setRiskLimits(change);
  }

  /**
   * Force-closes matching positions (see `TradingEngine.forceClose`). A named instrument must
   * be one the engine trades or the feed has: `invalid` when malformed, `not_found` when
   * unknown — a typo in a kill switch is an error, never a silent no-op.
   */
  async forceClose(
    filter: { readonly strategyId?: string; readonly instrument?: string },
    reason: string,
  ): Promise<OrderSnapshot[]> {
    if (filter.instrument !== undefined)
      await requireKnownInstrument("instrument", filter.instrument, this.#ports, "not_found");
    return this.#ports.engine.forceClose(filter, reason, this.#ports.now());
  }
}
