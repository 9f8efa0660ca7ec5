import type { ExecutionVenue } from "../execution/execution-venue.js";
import type { InstrumentRulesSource } from "../orders/instrument-rules.js";
import type { OrderSnapshot } from "../orders/order.js";
import type { Portfolio } from "../portfolio/portfolio.js";
import type { RiskManager, RiskRejection } from "../risk/risk-manager.js";
import type { StrategyType, TradingStrategy } from "../strategies/trading-strategy.js";
import type { EngineChanges } from "./change-set.js";

/** What the engine is wired to. */
export interface TradingEnginePorts {
  readonly venue: ExecutionVenue;
  readonly risk: RiskManager;
  readonly portfolio: Portfolio;
  /** The instruments' price and quantity grid (tick, lot, minimum and maximum order). */
  readonly instrumentRules: InstrumentRulesSource;
  /** Builds a strategy from its type and (resolved or stored) parameters. */
  readonly createStrategy: (type: StrategyType, parameters: object) => TradingStrategy;
  /** New unique ids (orders). */
  readonly newId: () => string;
  /** Receives the changes of every operation that changed something. */
  readonly onChanges: (changes: EngineChanges) => void;
  /** Told about each order a risk check refused. */
  readonly onRiskRejection?: (rejection: RiskRejection, order: OrderSnapshot) => void;
  /**
   * Times the pre-trade checks: called before each, it returns a function called after with
   * nothing; the caller measures (the domain has no clock of that resolution).
   */
  readonly timeRiskCheck?: () => () => void;
}

/** Engine timing, from the service settings. */
export interface TradingEngineOptions {
  /** ORDER_TIMEOUT_SECONDS in ms: a working order expires this long after creation. */
  readonly orderTimeoutMs: number;
  /** STRATEGY_COOLDOWN_SECONDS in ms: no new strategy on an instrument this soon after a stop. */
  readonly cooldownMs: number;
  /**
   * MARKET_DATA_STALE_MS: a quote received longer ago than this is no market any more — no
   * order fills on it and no strategy decides on it (see `TradingEngine`).
   */
  readonly maxQuoteAgeMs: number;
  /** Closed orders kept in memory for queries (the store keeps them all). */
  readonly closedOrderHistory?: number;
  /**
   * Distinguishes this run's client order ids (`<strategy>-<session>-<n>`) from those of
   * earlier runs, which the store keeps unique per strategy; e.g. the start time in base 36.
   */
  readonly session?: string;
}
