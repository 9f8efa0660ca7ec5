import type { TradingEngine } from "../domain/engine/trading-engine.js";
import type { OrderSnapshot } from "../domain/orders/order.js";
import type { RiskLimits, RiskLimitsChange } from "../domain/risk/risk-limits.js";
import { requireKnownInstrument } from "./instrument-checks.js";
import type { InstrumentCatalog } from "./trading-desk.js";

/** What the risk desk is wired to. */
export interface RiskDeskPorts {
  readonly engine: TradingEngine;
  readonly catalog: InstrumentCatalog;
  /** Wall-clock ms. */
  readonly now: () => number;
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

  get engine(): TradingEngine {
    return this.#ports.engine;
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
