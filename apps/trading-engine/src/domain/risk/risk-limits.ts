import { isInstrumentSymbol } from "../shared/instrument-symbol.js";

/**
 * The engine's pre-trade limits (docs/architecture.md#how-the-engine-trades); 0 disables a limit.
 */
export interface RiskLimits {
  /**
   * Largest absolute net position per instrument across strategies, once every open order on
   * the order's side filled (MAX_POSITION_SIZE).
   */
  readonly maxPositionSize: number;
  /** Per-instrument overrides of `maxPositionSize`. */
  readonly instrumentMaxPositionSizes: Readonly<Record<string, number>>;
  /**
   * Largest total notional (RISK_LIMIT_THRESHOLD): Σ over strategies and instruments of the
   * worst-case exposure with open orders (see `worstCaseExposure`).
   */
  readonly maxTotalNotional: number;
  /**
   * Largest total notional as a multiple of the portfolio's value, cash + positions
   * (MAX_GROSS_LEVERAGE): the buying power. 1 keeps exposure within the money held.
   */
  readonly maxGrossLeverage: number;
  /** Most orders placed in any one-second window. */
  readonly maxOrdersPerSecond: number;
  /** Drawdown from the peak, in [0, 1], that engages the circuit breaker. */
  readonly maxDrawdown: number;
}

/** The gross leverage limit unless set otherwise: exposure up to the portfolio's value. */
export const DEFAULT_MAX_GROSS_LEVERAGE = 1;

/** The highest gross leverage limit accepted. */
export const MAX_GROSS_LEVERAGE_BOUND = 1_000;

/** The most per-instrument position overrides kept. */
export const MAX_INSTRUMENT_OVERRIDES = 1_000;

/** A change of limits: set fields replace, an override of 0 removes it. */
export interface RiskLimitsChange {
  readonly maxPositionSize?: number;
  readonly instrumentMaxPositionSizes?: Readonly<Record<string, number>>;
  readonly maxTotalNotional?: number;
  readonly maxGrossLeverage?: number;
  readonly maxOrdersPerSecond?: number;
  readonly maxDrawdown?: number;
}

/**
 * `limits` with `change` applied. Throws a `RangeError` naming the field for a negative or
 * non-finite limit, a fractional order rate, a drawdown above 1, a gross leverage above
 * {@link MAX_GROSS_LEVERAGE_BOUND}, an override keyed by anything but an instrument symbol, or
 * more than {@link MAX_INSTRUMENT_OVERRIDES} overrides; nothing is applied then. Whether the
 * market has the instrument is the caller's to check.
 */
export function changeRiskLimits(limits: RiskLimits, change: RiskLimitsChange): RiskLimits {
  const check = (field: string, value: number | undefined, max = Number.POSITIVE_INFINITY) => {
    if (value === undefined) return;
    if (!(Number.isFinite(value) && value >= 0 && value <= max)) {
      throw new RangeError(`${field} must be a number in [0, ${max}] (got ${value})`);
    }
  };
  check("max_position_size", change.maxPositionSize);
  check("max_total_notional", change.maxTotalNotional);
  check("max_gross_leverage", change.maxGrossLeverage, MAX_GROSS_LEVERAGE_BOUND);
  check("max_orders_per_second", change.maxOrdersPerSecond);
  if (change.maxOrdersPerSecond !== undefined && !Number.isInteger(change.maxOrdersPerSecond)) {
    throw new RangeError("max_orders_per_second must be an integer");
  }
  check("max_drawdown", change.maxDrawdown, 1);
  const overrides = { ...limits.instrumentMaxPositionSizes };
  for (const [instrument, value] of Object.entries(change.instrumentMaxPositionSizes ?? {})) {
    if (!isInstrumentSymbol(instrument)) {
      throw new RangeError(
        `instrument_max_position_sizes keys must be instrument symbols like BTC-USD (got ${JSON.stringify(instrument.slice(0, 40))}${instrument.length > 40 ? "…" : ""})`,
      );
    }
    check(`instrument_max_position_sizes[${instrument}]`, value);
    if (value === 0) delete overrides[instrument];
    else overrides[instrument] = value;
  }
  if (Object.keys(overrides).length > MAX_INSTRUMENT_OVERRIDES) {
    throw new RangeError(
      `instrument_max_position_sizes may hold at most ${MAX_INSTRUMENT_OVERRIDES} overrides`,
    );
  }
  return {
    maxPositionSize: change.maxPositionSize ?? limits.maxPositionSize,
    instrumentMaxPositionSizes: overrides,
    maxTotalNotional: change.maxTotalNotional ?? limits.maxTotalNotional,
    maxGrossLeverage: change.maxGrossLeverage ?? limits.maxGrossLeverage,
    maxOrdersPerSecond: change.maxOrdersPerSecond ?? limits.maxOrdersPerSecond,
    maxDrawdown: change.maxDrawdown ?? limits.maxDrawdown,
  };
}

/** The position limit that applies to `instrument` (0: none). */
export function positionLimitOf(limits: RiskLimits, instrument: string): number {
  return limits.instrumentMaxPositionSizes[instrument] ?? limits.maxPositionSize;
}
