import type { Fill, OrderSnapshot } from "../orders/order.js";
import { type PositionSnapshot, positionKey } from "../portfolio/position.js";
import type { RiskLimits } from "../risk/risk-limits.js";
import type { CircuitBreakerState } from "../risk/risk-manager.js";
import type { StrategySnapshot } from "./strategy-lifecycle.js";

/** The risk state that outlives a restart: limits changed through the API, and the breaker. */
export interface RiskState {
  readonly limits: RiskLimits;
  readonly breaker: CircuitBreakerState;
  /** The portfolio's peak value, which the drawdown is measured from. */
  readonly peakValue: number;
}

/** Everything one engine operation changed, in order: one atomic unit for persistence. */
export interface EngineChanges {
  readonly strategies: readonly StrategySnapshot[];
  readonly orders: readonly OrderSnapshot[];
  readonly fills: readonly Fill[];
  readonly positions: readonly PositionSnapshot[];
  /** The risk state, when the operation changed it. */
  readonly risk?: RiskState;
}

/**
 * What the operation under way changed, collected until the operation ends and taken as one
 * {@link EngineChanges}. A strategy, order or position changed twice is taken once, in its
 * last state and at the place of its first change; fills are kept in the order they came.
 */
export class ChangeSet {
  #strategies = new Map<string, StrategySnapshot>();
  #orders = new Map<string, OrderSnapshot>();
  #fills: Fill[] = [];
  #positions = new Map<string, PositionSnapshot>();
  #riskChanged = false;

  /** Records a strategy's new state. */
  strategy(snapshot: StrategySnapshot): void {
    this.#strategies.set(snapshot.id, snapshot);
  }

  /** Records an order's new state. */
  order(snapshot: OrderSnapshot): void {
    this.#orders.set(snapshot.id, snapshot);
  }

  /** Records a fill. */
  fill(fill: Fill): void {
    this.#fills.push(fill);
  }

  /** Records a position's new state. */
  position(snapshot: PositionSnapshot): void {
    this.#positions.set(positionKey(snapshot.strategyId, snapshot.instrument), snapshot);
  }

  /** Records that the risk state changed: the changes taken next carry it. */
  riskChanged(): void {
    this.#riskChanged = true;
  }

  /**
   * The changes recorded since the last take, leaving the set empty; `undefined` when nothing
   * changed. `riskState` is asked, after the set is emptied, only when the risk state changed.
   */
  take(riskState: () => RiskState): EngineChanges | undefined {
    const strategies = this.#strategies;
    const orders = this.#orders;
    const fills = this.#fills;
    const positions = this.#positions;
    const riskChanged = this.#riskChanged;
    if (strategies.size + orders.size + fills.length + positions.size === 0 && !riskChanged) {
      return undefined;
    }
    this.#strategies = new Map();
    this.#orders = new Map();
    this.#fills = [];
    this.#positions = new Map();
    this.#riskChanged = false;
    return {
      strategies: [...strategies.values()],
      orders: [...orders.values()],
      fills,
      positions: [...positions.values()],
      ...(riskChanged ? { risk: riskState() } : {}),
    };
  }
}
