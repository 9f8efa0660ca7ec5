import type { InstrumentRules } from "../orders/instrument-rules.js";
import type { OrderSide, OrderType } from "../orders/order.js";
import type { MarketQuote } from "../shared/market-quote.js";

/** The kinds of strategy the engine runs. */
export type StrategyType = "market_making" | "mean_reversion";

/** An order a strategy wants placed; the engine checks it against risk and sends it. */
export interface OrderIntent {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  /** For limit orders. */
  readonly limitPrice?: number;
}

/** One of the strategy's own working orders, as it sees it. */
export interface WorkingOrderView {
  readonly id: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly limitPrice?: number;
  readonly remaining: number;
}

/** What a strategy sees when a quote of one of its instruments arrives. */
export interface StrategyView {
  /** Epoch ms (the engine's clock). */
  readonly now: number;
  readonly quote: MarketQuote;
  /** The strategy's signed position in the quote's instrument. */
  readonly position: number;
  /** Its average entry price (0 when flat). */
  readonly averageEntryPrice: number;
  /** Its working orders in the instrument. */
  readonly openOrders: readonly WorkingOrderView[];
  /** The position limit that applies to it in the instrument (0: none). */
  readonly maxPosition: number;
  /**
   * The instrument's order grid, when known. The engine puts every order on it anyway; a
   * strategy that compares its wanted prices with its working orders' should round first.
   */
  readonly rules?: InstrumentRules;
}

/** What a strategy wants done after a quote: orders to cancel (by id), then orders to place. */
export interface StrategyDecision {
  readonly cancel: readonly string[];
  readonly place: readonly OrderIntent[];
}

/** Doing nothing. */
export const NO_DECISION: StrategyDecision = Object.freeze({ cancel: [], place: [] });

/**
 * What a strategy learned that a restart must not lose (mean reversion's samples). The engine
 * saves it with the strategy's record whenever `version` moved (at most once a second) and
 * hands it back to `restore` when it rebuilds the strategy after a restart.
 */
export interface StrategyMemory {
  /** Grows whenever there is something new to save. */
  readonly version: number;
  /** The state as JSON-safe data (finite numbers, strings, arrays, plain objects). */
  save(): object;
  /** Takes back a saved state; what is not well-formed is ignored (learned afresh). */
  restore(state: unknown): void;
}

/**
 * A trading strategy (docs/architecture.md#how-the-engine-trades): pure decision logic over quotes,
 * positions and its working orders; the engine owns orders, risk and execution. Implementations
 * keep their own state (samples, estimates) per instrument and must not throw on well-formed input
 * — a throw puts the strategy into ERROR. State that must survive a restart is its `memory`; the
 * rest (e.g. the market maker's volatility estimate, re-learnt within a few quotes) starts afresh.
 */
export interface TradingStrategy {
  readonly type: StrategyType;
  /** The parameters in use, defaults resolved (what the API reports). */
  readonly parameters: object;
  /** State kept across restarts, if the strategy has any. */
  readonly memory?: StrategyMemory;
  onQuote(view: StrategyView): StrategyDecision;
}
