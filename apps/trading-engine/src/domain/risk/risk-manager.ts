import type { OrderSide } from "../orders/order.js";
import { isInstrumentSymbol } from "../shared/instrument-symbol.js";
import { breaksPositionLimit, exposureAdded, type InstrumentBook } from "./exposure-ledger.js";
import {
  changeRiskLimits,
  DEFAULT_MAX_GROSS_LEVERAGE,
  positionLimitOf,
  type RiskLimits,
  type RiskLimitsChange,
} from "./risk-limits.js";

/** Which limit refused an order. */
export type RiskLimitName =
  | "circuit_breaker"
  | "max_position_size"
  | "max_total_notional"
  | "max_gross_leverage"
  | "max_orders_per_second"
  | "strategy_max_position"
  | "strategy_max_notional"
  | "strategy_max_open_orders";

/** Why an order was refused: the limit and a sentence with the figures. */
export interface RiskRejection {
  readonly limit: RiskLimitName;
  readonly reason: string;
}

/** An order about to be placed, as risk sees it. */
export interface ProposedOrder {
  readonly strategyId: string | undefined;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: number;
  /** The price its notional is valued at: the limit price, or the mark for a market order. */
  readonly price: number;
}

/** The open exposure the checks need, read from the engine's books. */
export interface ExposureView {
  /** Net position in an instrument across strategies. */
  netPosition(instrument: string): number;
  /**
   * The engine's total notional: Σ worst-case exposure of every strategy's book in every
   * instrument (see `ExposureLedger`).
   */
  totalNotional(): number;
  /** Remaining quantity of open orders in an instrument on one side, across strategies. */
  openQuantity(instrument: string, side: OrderSide): number;
  /** The placing strategy's book in the order's instrument: what the order adds exposure to. */
  book(strategyId: string | undefined, instrument: string): InstrumentBook;
  /** The portfolio's value, cash + positions at their marks (the gross leverage base). */
  portfolioValue(): number;
}

/** A strategy's own limits and usage, checked on top of the engine's. */
export interface StrategyExposure {
  readonly maxPosition: number;
  readonly maxNotional: number;
  readonly maxOpenOrders: number;
  readonly position: number;
  /** Remaining quantity of the strategy's open orders in the instrument on the order's side. */
  readonly openQuantitySameSide: number;
  /** Σ worst-case exposure of the strategy's books, as in `ExposureView.totalNotional`. */
  readonly notional: number;
  readonly openOrders: number;
}

/** How {@link RiskManager.check} judges an order beyond the engine's limits. */
export interface RiskCheckOptions {
  /** The placing strategy's own limits and usage, checked too. */
  readonly strategy?: StrategyExposure;
  /** An operator's closing order, which passes every limit (see {@link RiskManager.check}). */
  readonly closing?: boolean;
}

/** The circuit breaker's state. */
export interface CircuitBreakerState {
  readonly engaged: boolean;
  readonly trigger: "manual" | "drawdown" | undefined;
  readonly reason: string;
  readonly engagedAt?: number;
  readonly disengagedAt?: number;
}

/** The breaker cannot be released (the drawdown would engage it again). */
export class CircuitBreakerError extends Error {
  override readonly name = "CircuitBreakerError";
}

const ORDER_RATE_WINDOW_MS = 1_000;

/**
 * Pre-trade risk (docs/architecture.md#how-the-engine-trades): the circuit breaker, the
 * per-instrument position limit, the total notional, the gross leverage (total notional within a
 * multiple of the portfolio's value), the order rate, and a strategy's own limits. An order is
 * allowed when it lands exactly on a limit and refused past it. Open orders count as if they
 * filled: the position limits judge the position once every open order on the order's side filled,
 * and notional is the worst-case exposure of each book (see `worstCaseExposure`). An order that
 * only reduces what a limit measures — after the open orders on its side — is never refused by it;
 * one that reduces and then reverses a position is judged by the part past flat. An operator's
 * closing order (the kill switch) passes every check, see {@link RiskManager.check}.
 */
export class RiskManager {
  #limits: RiskLimits;
  #breaker: CircuitBreakerState = { engaged: false, trigger: undefined, reason: "" };
  readonly #placedAt: number[] = [];
  #rejected = 0;

  /** Starts with `limits`; the gross leverage limit defaults to {@link DEFAULT_MAX_GROSS_LEVERAGE}. */
  constructor(
    limits: Omit<RiskLimits, "maxGrossLeverage"> & { readonly maxGrossLeverage?: number },
  ) {
    this.#limits = changeRiskLimits(
      { ...limits, maxGrossLeverage: limits.maxGrossLeverage ?? DEFAULT_MAX_GROSS_LEVERAGE },
      {},
    );
  }

  get limits(): RiskLimits {
    return this.#limits;
  }

  get breaker(): CircuitBreakerState {
    return this.#breaker;
  }

  /** Orders refused by a check since start. */
  get rejectedCount(): number {
    return this.#rejected;
  }

  /**
   * Takes back stored limits and breaker state (a restart). A limit the stored state does not
   * have (stored before the limit existed) keeps its current value, the setting's; overrides
   * keyed by something other than an instrument symbol (accepted before keys were checked) are
   * dropped.
   */
  restore(limits: Partial<RiskLimits>, breaker: CircuitBreakerState): void {
    const stored = Object.fromEntries(
      Object.entries(limits).filter(([, value]) => value !== undefined),
    ) as Partial<RiskLimits>;
    const overrides = Object.fromEntries(
      Object.entries(stored.instrumentMaxPositionSizes ?? {}).filter(([key]) =>
        isInstrumentSymbol(key),
      ),
    );
    this.#limits = changeRiskLimits(
      { ...this.#limits, ...stored, instrumentMaxPositionSizes: {} },
      { instrumentMaxPositionSizes: overrides },
    );
    this.#breaker = breaker;
  }

  /** Applies a change of limits (see `changeRiskLimits`); returns the limits in use. */
  setLimits(change: RiskLimitsChange): RiskLimits {
    this.#limits = changeRiskLimits(this.#limits, change);
    return this.#limits;
  }

  /**
   * The first limit `order` would break, or `undefined` when it may go. A refusal is counted.
   *
   * `options.strategy` adds the placing strategy's own limits. `options.closing` marks an
   * operator's closing order (ForcePositionClose, StopStrategy with close):
   * it closes its strategy's own position, reduce-only and never more than the position (the
   * caller's guarantee). Such an order passes every limit — the breaker, the position limits
   * (the engine's net position moves when another strategy holds the opposite side, or a limit
   * was lowered below what is held), notional, leverage, the order rate and the strategy's own
   * limits — because a kill switch must always flatten.
   */
  check(
    order: ProposedOrder,
    exposure: ExposureView,
    now: number,
    options: RiskCheckOptions = {},
  ): RiskRejection | undefined {
    if (options.closing === true) return undefined;
    const rejection = this.#firstBreach(order, exposure, now, options.strategy);
    if (rejection !== undefined) this.#rejected += 1;
    return rejection;
  }

  /** Records that an order was placed at `now` (for the order-rate limit). */
  recordOrder(now: number): void {
    this.#placedAt.push(now);
    this.#trim(now);
  }

  /** Orders placed in the second up to `now`. */
  ordersLastSecond(now: number): number {
    this.#trim(now);
    return this.#placedAt.length;
  }

  /** Engages the breaker; `false` when it already was (nothing changes then). */
  engage(trigger: "manual" | "drawdown", reason: string, now: number): boolean {
    if (this.#breaker.engaged) return false;
    this.#breaker = { ...this.#breaker, engaged: true, trigger, reason, engagedAt: now };
    return true;
  }

  /**
   * Releases the breaker; `false` when it was not engaged. Throws {@link CircuitBreakerError}
   * while `drawdown` still reaches the drawdown limit.
   */
  disengage(drawdown: number, now: number): boolean {
    if (!this.#breaker.engaged) return false;
    const max = this.#limits.maxDrawdown;
    if (max > 0 && drawdown >= max) {
      throw new CircuitBreakerError(
        `the drawdown ${percent(drawdown)} still reaches max_drawdown ${percent(max)}: raise the limit first`,
      );
    }
    this.#breaker = {
      engaged: false,
      trigger: undefined,
      reason: "",
      ...stamp(this.#breaker.engagedAt),
      disengagedAt: now,
    };
    return true;
  }

  /** Engages the breaker when `drawdown` reaches the limit; `true` when this call engaged it. */
  watchDrawdown(drawdown: number, now: number): boolean {
    const max = this.#limits.maxDrawdown;
    if (max <= 0 || drawdown < max) return false;
    return this.engage("drawdown", `drawdown ${percent(drawdown)} ≥ ${percent(max)}`, now);
  }

  #firstBreach(
    order: ProposedOrder,
    exposure: ExposureView,
    now: number,
    strategy: StrategyExposure | undefined,
  ): RiskRejection | undefined {
    if (this.#breaker.engaged) {
      return {
        limit: "circuit_breaker",
        reason: `circuit breaker engaged: ${this.#breaker.reason}`,
      };
    }
    const signed = order.side === "buy" ? order.quantity : -order.quantity;
    const limit = positionLimitOf(this.#limits, order.instrument);
    if (limit > 0) {
      const net = exposure.netPosition(order.instrument);
      const working = exposure.openQuantity(order.instrument, order.side);
      const { breaks, projected } = breaksPositionLimit(net, working, signed, limit);
      if (breaks) {
        return {
          limit: "max_position_size",
          reason: `max position size exceeded: ${order.instrument} would reach ${Math.abs(projected)} (position ${round(net)}, open ${round(working)}) > ${limit}`,
        };
      }
    }
    // What the order adds to its book's worst-case exposure (0 when it only reduces it),
    // valued once and only for a limit that needs it.
    let addedValue: number | undefined;
    const added = () => {
      addedValue ??= exposureAdded(
        exposure.book(order.strategyId, order.instrument),
        order.side,
        order.quantity * order.price,
      );
      return addedValue;
    };
    const maxNotional = this.#limits.maxTotalNotional;
    if (maxNotional > 0 && added() > 1e-8) {
      const total = exposure.totalNotional();
      if (total + added() > maxNotional + 1e-6) {
        return {
          limit: "max_total_notional",
          reason: `max total notional exceeded: ${round(total)} + ${round(added())} > ${maxNotional}`,
        };
      }
    }
    const maxLeverage = this.#limits.maxGrossLeverage;
    if (maxLeverage > 0 && added() > 1e-8) {
      const total = exposure.totalNotional();
      const value = exposure.portfolioValue();
      if (total + added() > maxLeverage * value + 1e-6) {
        return {
          limit: "max_gross_leverage",
          reason: `gross leverage exceeded: ${round(total)} + ${round(added())} > ${maxLeverage} × portfolio value ${round(value)}`,
        };
      }
    }
    const maxRate = this.#limits.maxOrdersPerSecond;
    if (maxRate > 0 && this.ordersLastSecond(now) >= maxRate) {
      return {
        limit: "max_orders_per_second",
        reason: `order rate exceeded: ${maxRate} orders in the last second`,
      };
    }
    if (strategy !== undefined) {
      const own =
        strategy.maxPosition > 0
          ? breaksPositionLimit(
              strategy.position,
              strategy.openQuantitySameSide,
              signed,
              strategy.maxPosition,
            )
          : undefined;
      if (own?.breaks === true) {
        return {
          limit: "strategy_max_position",
          reason: `strategy max position exceeded: would reach ${Math.abs(own.projected)} > ${strategy.maxPosition}`,
        };
      }
      if (
        strategy.maxNotional > 0 &&
        added() > 1e-8 &&
        strategy.notional + added() > strategy.maxNotional + 1e-6
      ) {
        return {
          limit: "strategy_max_notional",
          reason: `strategy max notional exceeded: ${round(strategy.notional)} + ${round(added())} > ${strategy.maxNotional}`,
        };
      }
      if (strategy.maxOpenOrders > 0 && strategy.openOrders >= strategy.maxOpenOrders) {
        return {
          limit: "strategy_max_open_orders",
          reason: `strategy max open orders reached: ${strategy.maxOpenOrders}`,
        };
      }
    }
    return undefined;
  }

  #trim(now: number): void {
    while (
      this.#placedAt.length > 0 &&
      (this.#placedAt[0] as number) <= now - ORDER_RATE_WINDOW_MS
    ) {
      this.#placedAt.shift();
    }
  }
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

function stamp(engagedAt: number | undefined): { engagedAt?: number } {
  return engagedAt === undefined ? {} : { engagedAt };
}
