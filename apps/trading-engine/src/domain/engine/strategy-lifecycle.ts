import type { StrategyType } from "../strategies/trading-strategy.js";

/** The lifecycle of a strategy: INACTIVE → ACTIVE ⇄ PAUSED → STOPPED, and ERROR on failure. */
export type StrategyStatus = "inactive" | "active" | "paused" | "stopped" | "error";

const TRANSITIONS: Readonly<Record<StrategyStatus, readonly StrategyStatus[]>> = {
  inactive: ["active", "paused", "stopped", "error"],
  active: ["paused", "stopped", "error"],
  paused: ["active", "stopped", "error"],
  stopped: [],
  error: [],
};

/** Whether a strategy may go from `from` to `to`. */
export function canTransition(from: StrategyStatus, to: StrategyStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A strategy's own limits (`trading.v1.StrategyLimits`, defaults resolved; 0 disables). */
export interface StrategyLimits {
  readonly maxPosition: number;
  readonly maxNotional: number;
  readonly maxOpenOrders: number;
  readonly maxLoss: number;
}

/** A managed strategy at one moment (what is stored and reported). */
export interface StrategySnapshot {
  readonly id: string;
  readonly name: string;
  readonly type: StrategyType;
  readonly instruments: readonly string[];
  /** The strategy's parameters with defaults resolved. */
  readonly parameters: object;
  readonly limits: StrategyLimits;
  readonly status: StrategyStatus;
  readonly statusReason: string;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly updatedAt: number;
  readonly stoppedAt?: number;
  /** What it has done since it was created (kept across restarts with the strategy). */
  readonly activity: StrategyActivity;
  /**
   * The strategy's memory as last saved (see `StrategyMemory`), e.g. mean reversion's samples;
   * absent for strategies without one. Kept across restarts with the strategy.
   */
  readonly state?: object;
}

/** Counts of a strategy's trading since it was created. */
export interface StrategyActivity {
  /** Orders placed, in every status. */
  readonly orderCount: number;
  /** Fills received. */
  readonly fillCount: number;
  /** Σ price × quantity of its fills. */
  readonly tradedNotional: number;
}

/** No activity yet. */
export const NO_ACTIVITY: StrategyActivity = Object.freeze({
  orderCount: 0,
  fillCount: 0,
  tradedNotional: 0,
});

/**
 * Validates and completes strategy limits: each a finite number ≥ 0, open orders an integer
 * (0 means 50). Throws a `RangeError` naming the field.
 */
export function resolveStrategyLimits(input: Partial<StrategyLimits> = {}): StrategyLimits {
  const check = (field: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`limits.${field} must be a finite number ≥ 0 (got ${value})`);
    }
    return value ?? 0;
  };
  const maxOpenOrders = check("max_open_orders", input.maxOpenOrders);
  if (!Number.isInteger(maxOpenOrders))
    throw new RangeError("limits.max_open_orders must be an integer");
  return {
    maxPosition: check("max_position", input.maxPosition),
    maxNotional: check("max_notional", input.maxNotional),
    maxOpenOrders: maxOpenOrders === 0 ? 50 : maxOpenOrders,
    maxLoss: check("max_loss", input.maxLoss),
  };
}
