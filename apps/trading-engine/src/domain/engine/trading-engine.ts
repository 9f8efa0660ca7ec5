import { messageOf } from "@tse/error-text";
import type { ExecutionVenue, VenueEvent } from "../execution/execution-venue.js";
import {
  closingQuantities,
  conformTerms,
  type InstrumentRulesSource,
} from "../orders/instrument-rules.js";
import { type Fill, Order, type OrderSide, type OrderSnapshot } from "../orders/order.js";
import type { MarkedPosition, Portfolio, PortfolioValuation } from "../portfolio/portfolio.js";
import type { PositionSnapshot } from "../portfolio/position.js";
import { ExposureLedger } from "../risk/exposure-ledger.js";
import { positionLimitOf, type RiskLimits, type RiskLimitsChange } from "../risk/risk-limits.js";
import type {
  CircuitBreakerState,
  RiskManager,
  RiskRejection,
  StrategyExposure,
} from "../risk/risk-manager.js";
import { round8 } from "../shared/decimal.js";
import { type MarketQuote, midOf } from "../shared/market-quote.js";
import type { OrderIntent, StrategyType, TradingStrategy } from "../strategies/trading-strategy.js";
import {
  canTransition,
  NO_ACTIVITY,
  type StrategyLimits,
  type StrategySnapshot,
  type StrategyStatus,
} from "./strategy-lifecycle.js";

/** Why an engine request was refused; the API maps `kind` to a Connect code. */
export class EngineRequestError extends Error {
  override readonly name = "EngineRequestError";

  constructor(
    readonly kind: "invalid" | "not_found" | "already_exists" | "failed_precondition",
    message: string,
  ) {
    super(message);
  }
}

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

/** Engine timing (DESIGN §7 settings). */
export interface TradingEngineOptions {
  /** ORDER_TIMEOUT_SECONDS in ms: a working order expires this long after creation. */
  readonly orderTimeoutMs: number;
  /** STRATEGY_COOLDOWN_SECONDS in ms: no new strategy on an instrument this soon after a stop. */
  readonly cooldownMs: number;
  /**
   * MARKET_DATA_STALE_MS: a quote received longer ago than this is no market any more — no
   * order fills on it and no strategy decides on it (see {@link TradingEngine}).
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

/** A request to start a strategy. */
export interface StartStrategyCommand {
  readonly id: string;
  readonly name: string;
  readonly type: StrategyType;
  readonly instruments: readonly string[];
  readonly strategy: TradingStrategy;
  readonly limits: StrategyLimits;
}

/** Figures of one strategy since it was created (in this process for the counts). */
export interface StrategyPerformance {
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly totalPnl: number;
  readonly feesPaid: number;
  readonly orderCount: number;
  readonly fillCount: number;
  readonly tradedNotional: number;
  readonly openOrderCount: number;
}

/** How much of each risk limit is used (a ratio of 0 when the limit is off). */
export interface RiskUtilization {
  readonly instruments: readonly {
    readonly instrument: string;
    readonly netPosition: number;
    readonly maxPositionSize: number;
    readonly utilization: number;
  }[];
  readonly totalNotional: number;
  readonly totalNotionalUtilization: number;
  /** Total notional ÷ the portfolio's value (+∞ when there is exposure and no value left). */
  readonly grossLeverage: number;
  readonly grossLeverageUtilization: number;
  readonly ordersLastSecond: number;
  readonly orderRateUtilization: number;
  readonly drawdown: number;
  readonly drawdownUtilization: number;
  readonly rejectedOrders: number;
}

/** Which orders {@link TradingEngine.orders} returns. */
export interface OrderFilter {
  readonly statuses?: readonly OrderSnapshot["status"][];
  readonly strategyId?: string;
  readonly instrument?: string;
  readonly limit?: number;
}

interface ManagedStrategy {
  snapshot: StrategySnapshot;
  readonly strategy: TradingStrategy;
  orderSequence: number;
  /** Paused by the engine for stale market data (resumed by it when data returns). */
  pausedForStaleFeed: boolean;
  /** The strategy's memory version last saved into `snapshot.state`, and when. */
  savedMemory: { version: number; at: number };
}

const STALE_FEED_REASON = "market data is stale";

/**
 * The least time between two saves of a strategy's memory: a strategy sampling on every quote
 * writes its record at most once a second, and a crash loses at most a second of samples.
 */
const MEMORY_SAVE_INTERVAL_MS = 1_000;

/**
 * The trading engine (DESIGN §7): strategies trade quotes through pre-trade risk into the
 * execution venue; fills move the portfolio. One quote is processed completely — marks, fills
 * of working orders, expiries, the drawdown breaker, each active strategy's decision — before
 * the next, and every operation hands its changes to `onChanges` as one unit.
 *
 * Contract:
 * - Every order is checked by risk; a refused order is stored REJECTED with the limit's reason.
 * - The circuit breaker (manual or drawdown) cancels every open order and stops new ones until
 *   released.
 * - An operator's close (`forceClose`, `stopStrategy` with close) is reduce-only — it cancels
 *   the owner's working orders on the position and never sells or buys more than the position —
 *   and passes every pre-trade limit, the breaker included: a kill switch always flattens.
 * - A strategy that throws, or loses its `maxLoss`, goes to ERROR and its orders are cancelled;
 *   like a stop, that starts the cooldown on its instruments.
 * - While the feed is stale, active strategies are PAUSED (reason "market data is stale") and
 *   resumed when it is fresh again; strategies paused by hand stay paused.
 * - Nothing fills on stale data, and no fill is stamped before its order: an order placed
 *   between quotes (a force close, a stop with close, a new strategy's first decision) trades
 *   on the instrument's last quote only while it is at most `maxQuoteAgeMs` old, and its fills
 *   take the time of the call. Otherwise the order is ACCEPTED and works — a closing market
 *   order too — until the next quote fills it (or it expires after `orderTimeoutMs`); a new
 *   strategy waits for the next quote to decide at all.
 * - Every order is on its instrument's grid (`instrumentRules`): quantities down to the lot and
 *   at most the maximum order, limit prices to the tick never more aggressive than asked (buys
 *   down, sells up). A strategy's order that rounds below the minimum, or on an instrument
 *   whose rules are not known yet, is not sent. A close is split into orders of at most the
 *   maximum; a remainder below the minimum cannot be traded and stays; a close on an
 *   instrument without known rules is REJECTED, saying so.
 */
export class TradingEngine {
  readonly #ports: TradingEnginePorts;
  readonly #options: TradingEngineOptions;
  readonly #strategies = new Map<string, ManagedStrategy>();
  readonly #orders = new Map<string, Order>();
  /**
   * The open orders of `#orders`, in creation order: every quote looks at them several times,
   * while `#orders` also holds thousands of closed ones kept for queries.
   */
  readonly #openOrdersById = new Map<string, Order>();
  readonly #closedOrderIds: string[] = [];
  readonly #quotes = new Map<string, MarketQuote>();
  readonly #lastStopAt = new Map<string, number>();
  #feedStale = false;
  #riskChanged = false;
  /** The peak value last handed on with the risk state. */
  #savedPeak = 0;
  #forceCloseSequence = 0;
  #pending: {
    strategies: Map<string, StrategySnapshot>;
    orders: Map<string, OrderSnapshot>;
    fills: Fill[];
    positions: Map<string, PositionSnapshot>;
  } = emptyPending();

  constructor(ports: TradingEnginePorts, options: TradingEngineOptions) {
    if (
      !(options.orderTimeoutMs > 0) ||
      !(options.cooldownMs >= 0) ||
      !(options.maxQuoteAgeMs > 0)
    ) {
      throw new RangeError("order timeout and quote age must be > 0, cooldown ≥ 0");
    }
    this.#ports = ports;
    this.#options = options;
  }

  /** Rebuilds the engine from stored state (a restart): strategies, open orders, positions. */
  restore(state: {
    readonly strategies: readonly StrategySnapshot[];
    readonly openOrders: readonly OrderSnapshot[];
    readonly positions: readonly PositionSnapshot[];
    readonly risk?: RiskState;
  }): void {
    if (state.risk !== undefined) this.#ports.risk.restore(state.risk.limits, state.risk.breaker);
    this.#savedPeak = state.risk?.peakValue ?? 0;
    for (const snapshot of state.strategies) {
      const strategy = this.#ports.createStrategy(snapshot.type, snapshot.parameters);
      if (snapshot.state !== undefined) strategy.memory?.restore(snapshot.state);
      this.#strategies.set(snapshot.id, {
        snapshot,
        strategy,
        orderSequence: 0,
        pausedForStaleFeed:
          snapshot.status === "paused" && snapshot.statusReason === STALE_FEED_REASON,
        savedMemory: { version: strategy.memory?.version ?? 0, at: Number.NEGATIVE_INFINITY },
      });
      if (snapshot.stoppedAt !== undefined) {
        for (const instrument of snapshot.instruments) {
          this.#lastStopAt.set(
            instrument,
            Math.max(this.#lastStopAt.get(instrument) ?? 0, snapshot.stoppedAt),
          );
        }
      }
    }
    // Strategies the stale feed paused come back when the (new) feed is first reported fresh.
    this.#feedStale = [...this.#strategies.values()].some((m) => m.pausedForStaleFeed);
    const working: OrderSnapshot[] = [];
    for (const snapshot of state.openOrders) {
      const order = Order.restore(snapshot);
      this.#orders.set(snapshot.id, order);
      if (order.isOpen) this.#openOrdersById.set(snapshot.id, order);
      if (snapshot.status === "accepted" || snapshot.status === "partially_filled")
        working.push(snapshot);
    }
    this.#ports.venue.restore(working);
    this.#ports.portfolio.restore(state.positions, this.#savedPeak);
  }

  // ----- strategies -------------------------------------------------------------------------

  /**
   * Starts a strategy: INACTIVE until a quote of one of its instruments arrives. Refused while
   * the breaker is engaged, for a taken id, or within the cooldown after a stop on one of its
   * instruments.
   */
  startStrategy(command: StartStrategyCommand, now: number): StrategySnapshot {
    if (this.#strategies.has(command.id)) {
      throw new EngineRequestError("already_exists", `strategy ${command.id} already exists`);
    }
    if (this.#ports.risk.breaker.engaged) {
      throw new EngineRequestError(
        "failed_precondition",
        `the circuit breaker is engaged: ${this.#ports.risk.breaker.reason}`,
      );
    }
    for (const instrument of command.instruments) {
      const stoppedAt = this.#lastStopAt.get(instrument);
      if (stoppedAt !== undefined && now - stoppedAt < this.#options.cooldownMs) {
        const wait = Math.ceil((this.#options.cooldownMs - (now - stoppedAt)) / 1000);
        throw new EngineRequestError(
          "failed_precondition",
          `a strategy on ${instrument} stopped ${Math.floor((now - stoppedAt) / 1000)} s ago: the cooldown ends in ${wait} s`,
        );
      }
    }
    const snapshot: StrategySnapshot = {
      id: command.id,
      name: command.name,
      type: command.type,
      instruments: [...command.instruments],
      parameters: command.strategy.parameters,
      limits: command.limits,
      status: "inactive",
      statusReason: "waiting for market data",
      createdAt: now,
      updatedAt: now,
      activity: NO_ACTIVITY,
    };
    this.#strategies.set(command.id, {
      snapshot,
      strategy: command.strategy,
      orderSequence: 0,
      pausedForStaleFeed: false,
      savedMemory: {
        version: command.strategy.memory?.version ?? 0,
        at: Number.NEGATIVE_INFINITY,
      },
    });
    this.#pending.strategies.set(command.id, snapshot);
    for (const instrument of command.instruments) {
      const quote = this.#freshQuote(instrument, now);
      if (quote !== undefined) this.#runStrategies(quote, now, command.id);
    }
    this.#flush();
    return this.#need(command.id).snapshot;
  }

  /**
   * Stops a strategy for good, cancelling its orders and optionally closing its positions. A
   * strategy already STOPPED or in ERROR keeps its status and stop time, but `closePositions`
   * still closes what it holds: stopping is how a failed strategy is flattened.
   */
  stopStrategy(id: string, closePositions: boolean, now: number): StrategySnapshot {
    const managed = this.#need(id);
    this.#cancelWhere((order) => order.strategyId === id, now, "strategy stopped");
    if (closePositions) this.#closePositions((p) => p.strategyId === id, now, "strategy stopped");
    if (canTransition(managed.snapshot.status, "stopped"))
      this.#setStatus(managed, "stopped", "stopped by request", now);
    this.#flush();
    return managed.snapshot;
  }

  /** Pauses an ACTIVE strategy and cancels its orders; PAUSED stays PAUSED. */
  pauseStrategy(id: string, reason: string, now: number): StrategySnapshot {
    const managed = this.#need(id);
    if (managed.snapshot.status === "paused") return managed.snapshot;
    if (managed.snapshot.status !== "active") {
      throw new EngineRequestError(
        "failed_precondition",
        `strategy ${id} is ${managed.snapshot.status}: it cannot be paused`,
      );
    }
    this.#pause(managed, reason, now);
    this.#flush();
    return managed.snapshot;
  }

  /** Resumes a PAUSED strategy; ACTIVE stays ACTIVE. Refused while the breaker is engaged. */
  resumeStrategy(id: string, now: number): StrategySnapshot {
    const managed = this.#need(id);
    if (managed.snapshot.status === "active") return managed.snapshot;
    if (managed.snapshot.status !== "paused") {
      throw new EngineRequestError(
        "failed_precondition",
        `strategy ${id} is ${managed.snapshot.status}: only a paused strategy resumes`,
      );
    }
    if (this.#ports.risk.breaker.engaged) {
      throw new EngineRequestError(
        "failed_precondition",
        `the circuit breaker is engaged: ${this.#ports.risk.breaker.reason}`,
      );
    }
    managed.pausedForStaleFeed = false;
    this.#setStatus(managed, "active", "", now);
    this.#flush();
    return managed.snapshot;
  }

  /** The strategy `id`; throws `not_found`. */
  strategy(id: string): StrategySnapshot {
    return this.#need(id).snapshot;
  }

  /** Every strategy, most recently created first. */
  strategies(): StrategySnapshot[] {
    return [...this.#strategies.values()]
      .map((m) => m.snapshot)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The strategy's results. */
  performance(id: string): StrategyPerformance {
    const managed = this.#need(id);
    const pnl = this.#ports.portfolio.valuation(0).strategies.find((s) => s.strategyId === id);
    return {
      realizedPnl: pnl?.realizedPnl ?? 0,
      unrealizedPnl: pnl?.unrealizedPnl ?? 0,
      totalPnl: pnl?.totalPnl ?? 0,
      feesPaid: pnl?.feesPaid ?? 0,
      orderCount: managed.snapshot.activity.orderCount,
      fillCount: managed.snapshot.activity.fillCount,
      tradedNotional: managed.snapshot.activity.tradedNotional,
      openOrderCount: this.#openOrders((o) => o.strategyId === id).length,
    };
  }

  // ----- market data ------------------------------------------------------------------------

  /**
   * Processes one quote at engine time `now`: marks, fills of working orders, expiries, the
   * drawdown breaker, then the decisions of the strategies trading the instrument.
   */
  onQuote(quote: MarketQuote, now: number): void {
    // Stamped with its arrival: a quote's age (see #freshQuote) counts from when the engine got
    // it, whatever clock the feed stamps it with.
    const stamped = { ...quote, timestamp: now };
    this.#quotes.set(quote.instrument, stamped);
    const { portfolio, venue, risk } = this.#ports;
    for (const position of portfolio.mark(quote.instrument, midOf(quote))) {
      this.#pending.positions.set(keyOf(position), position);
    }
    this.#apply(venue.onQuote(stamped, now), now);
    this.#expire(now);
    const valuation = portfolio.valuation(now);
    if (valuation.peakValue > this.#savedPeak) this.#riskChanged = true;
    if (risk.watchDrawdown(valuation.drawdown, now)) {
      this.#riskChanged = true;
      this.#cancelWhere(() => true, now, `circuit breaker engaged: ${risk.breaker.reason}`);
    }
    this.#enforceMaxLoss(now);
    this.#runStrategies(stamped, now);
    this.#flush();
  }

  /** The last quote seen of `instrument`. */
  quote(instrument: string): MarketQuote | undefined {
    return this.#quotes.get(instrument);
  }

  /**
   * Marks the feed stale (pausing active strategies) or fresh (resuming the ones it paused).
   */
  setFeedStale(stale: boolean, now: number): void {
    if (stale === this.#feedStale) return;
    this.#feedStale = stale;
    for (const managed of this.#strategies.values()) {
      if (
        stale &&
        (managed.snapshot.status === "active" || managed.snapshot.status === "inactive")
      ) {
        this.#pause(managed, STALE_FEED_REASON, now);
        managed.pausedForStaleFeed = true;
      } else if (!stale && managed.pausedForStaleFeed && managed.snapshot.status === "paused") {
        managed.pausedForStaleFeed = false;
        this.#setStatus(managed, "active", "", now);
      }
    }
    this.#flush();
  }

  /** Whether the feed is stale. */
  get feedStale(): boolean {
    return this.#feedStale;
  }

  /** Expires working orders past their time (call on a timer as well as on quotes). */
  expireOrders(now: number): void {
    this.#expire(now);
    this.#flush();
  }

  // ----- orders -----------------------------------------------------------------------------

  /** Cancels an open order; a CANCELLED order is returned as it is. */
  cancelOrder(id: string, reason: string, now: number): OrderSnapshot {
    const order = this.#orders.get(id);
    if (order === undefined) throw new EngineRequestError("not_found", `unknown order ${id}`);
    if (order.status === "cancelled") return order.snapshot();
    if (!order.isOpen) {
      throw new EngineRequestError(
        "failed_precondition",
        `order ${id} is ${order.status}: it cannot be cancelled`,
      );
    }
    this.#cancel(order, now, reason);
    this.#flush();
    return order.snapshot();
  }

  /** The order `id`, if it is in memory (open, or among the recent closed ones). */
  order(id: string): OrderSnapshot | undefined {
    return this.#orders.get(id)?.snapshot();
  }

  /** Orders in memory matching `filter`, most recently created first. */
  orders(filter: OrderFilter = {}): OrderSnapshot[] {
    const statuses =
      filter.statuses === undefined || filter.statuses.length === 0
        ? undefined
        : new Set(filter.statuses);
    return [...this.#orders.values()]
      .map((o) => o.snapshot())
      .filter(
        (o) =>
          (statuses === undefined || statuses.has(o.status)) &&
          (filter.strategyId === undefined || o.strategyId === filter.strategyId) &&
          (filter.instrument === undefined || o.instrument === filter.instrument),
      )
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, filter.limit ?? 100);
  }

  // ----- risk -------------------------------------------------------------------------------

  /** Engages the breaker by hand; returns the ids of the orders it cancelled. */
  engageCircuitBreaker(reason: string, now: number): string[] {
    const { risk } = this.#ports;
    if (!risk.engage("manual", reason === "" ? "engaged by hand" : reason, now)) return [];
    this.#riskChanged = true;
    const cancelled = this.#cancelWhere(
      () => true,
      now,
      `circuit breaker engaged: ${risk.breaker.reason}`,
    );
    this.#flush();
    return cancelled;
  }

  /** Releases the breaker (refused while the drawdown still breaks the limit). */
  releaseCircuitBreaker(now: number): void {
    if (this.#ports.risk.disengage(this.#ports.portfolio.valuation(now).drawdown, now)) {
      this.#riskChanged = true;
      this.#flush();
    }
  }

  /**
   * Closes matching non-flat positions with market orders past every risk limit, pausing their
   * strategies first; returns the orders placed.
   */
  forceClose(
    filter: { readonly strategyId?: string; readonly instrument?: string },
    reason: string,
    now: number,
  ): OrderSnapshot[] {
    if (filter.strategyId !== undefined) this.#need(filter.strategyId);
    const why = reason === "" ? "force close" : reason;
    const matches = (p: PositionSnapshot) =>
      (filter.strategyId === undefined || p.strategyId === filter.strategyId) &&
      (filter.instrument === undefined || p.instrument === filter.instrument);
    for (const position of this.#ports.portfolio
      .positions()
      .filter((p) => p.quantity !== 0 && matches(p))) {
      const managed = this.#strategies.get(position.strategyId);
      if (managed !== undefined && canTransition(managed.snapshot.status, "paused"))
        this.#pause(managed, why, now);
    }
    const orders = this.#closePositions(matches, now, why);
    this.#flush();
    return orders;
  }

  /** The circuit breaker. */
  get breaker(): CircuitBreakerState {
    return this.#ports.risk.breaker;
  }

  /** The risk limits in use. */
  get riskLimits(): RiskLimits {
    return this.#ports.risk.limits;
  }

  /** Changes risk limits (see `changeRiskLimits`; a `RangeError` changes nothing). */
  setRiskLimits(change: RiskLimitsChange): RiskLimits {
    const limits = this.#ports.risk.setLimits(change);
    this.#riskChanged = true;
    this.#flush();
    return limits;
  }

  /** How much of each limit is used now. */
  riskUtilization(now: number): RiskUtilization {
    const { risk, portfolio } = this.#ports;
    const limits = risk.limits;
    const ratio = (used: number, limit: number) => (limit > 0 ? used / limit : 0);
    const totalNotional = this.totalNotional();
    const ordersLastSecond = risk.ordersLastSecond(now);
    const { drawdown, totalValue } = portfolio.valuation(now);
    const grossLeverage =
      totalValue > 0 ? totalNotional / totalValue : totalNotional > 0 ? Infinity : 0;
    return {
      instruments: this.instrumentsInUse().map((instrument) => {
        const net = portfolio.netPosition(instrument);
        const max = positionLimitOf(limits, instrument);
        return {
          instrument,
          netPosition: net,
          maxPositionSize: max,
          utilization: ratio(Math.abs(net), max),
        };
      }),
      totalNotional,
      totalNotionalUtilization: ratio(totalNotional, limits.maxTotalNotional),
      grossLeverage,
      grossLeverageUtilization: ratio(grossLeverage, limits.maxGrossLeverage),
      ordersLastSecond,
      orderRateUtilization: ratio(ordersLastSecond, limits.maxOrdersPerSecond),
      drawdown,
      drawdownUtilization: ratio(drawdown, limits.maxDrawdown),
      rejectedOrders: risk.rejectedCount,
    };
  }

  /** Every position ever opened, marked, ordered by strategy id then instrument. */
  positions(): MarkedPosition[] {
    return this.#ports.portfolio.positions();
  }

  /** The portfolio valued now. */
  valuation(now: number): PortfolioValuation {
    return this.#ports.portfolio.valuation(now);
  }

  /**
   * Σ over every strategy and instrument of the worst-case exposure: the larger of
   * |position + open buys| and |position − open sells|, positions at the mark and open orders
   * at their price (see `ExposureLedger`).
   */
  totalNotional(): number {
    return this.#ledger().total();
  }

  /** Instruments with a position or an open order. */
  instrumentsInUse(): string[] {
    const set = new Set<string>();
    for (const p of this.#ports.portfolio.positions()) if (p.quantity !== 0) set.add(p.instrument);
    for (const o of this.#openOrders()) set.add(o.instrument);
    return [...set].sort();
  }

  // ----- internals --------------------------------------------------------------------------

  #runStrategies(quote: MarketQuote, now: number, only?: string): void {
    if (this.#feedStale) return;
    for (const managed of this.#strategies.values()) {
      if (only !== undefined && managed.snapshot.id !== only) continue;
      if (!managed.snapshot.instruments.includes(quote.instrument)) continue;
      if (managed.snapshot.status === "inactive") this.#setStatus(managed, "active", "", now);
      if (managed.snapshot.status !== "active" || this.#ports.risk.breaker.engaged) continue;
      const position = this.#ports.portfolio.position(managed.snapshot.id, quote.instrument, now);
      const mine = this.#openOrders(
        (o) => o.strategyId === managed.snapshot.id && o.instrument === quote.instrument,
      );
      const rules = this.#ports.instrumentRules.rulesOf(quote.instrument);
      let decision: ReturnType<TradingStrategy["onQuote"]>;
      try {
        decision = managed.strategy.onQuote({
          now,
          quote,
          position: position.quantity,
          averageEntryPrice: position.averageEntryPrice,
          openOrders: mine.map((o) => {
            const s = o.snapshot();
            return {
              id: s.id,
              side: s.side,
              type: s.type,
              remaining: o.remaining,
              ...(s.limitPrice === undefined ? {} : { limitPrice: s.limitPrice }),
            };
          }),
          maxPosition:
            managed.snapshot.limits.maxPosition ||
            positionLimitOf(this.#ports.risk.limits, quote.instrument),
          ...(rules === undefined ? {} : { rules }),
        });
      } catch (error) {
        this.#fail(managed, `strategy failed: ${messageOf(error)}`, now);
        continue;
      }
      this.#saveMemory(managed, now);
      for (const id of decision.cancel) {
        const order = this.#orders.get(id);
        if (order?.isOpen && order.strategyId === managed.snapshot.id)
          this.#cancel(order, now, "replaced by the strategy");
      }
      try {
        for (const intent of decision.place) {
          this.#place(managed, quote.instrument, intent, now);
          if (managed.snapshot.status !== "active" || this.#ports.risk.breaker.engaged) break;
        }
      } catch (error) {
        this.#fail(managed, `strategy produced an invalid order: ${messageOf(error)}`, now);
      }
    }
  }

  /**
   * Places an order of a strategy, or (without `managed`) a closing order for `closing.owner`'s
   * position, which passes every limit; on the instrument's grid, or not at all (`undefined`,
   * see the class contract).
   */
  #place(
    managed: ManagedStrategy | undefined,
    instrument: string,
    wanted: OrderIntent,
    now: number,
    closing?: { readonly owner: string; readonly reason: string },
  ): Order | undefined {
    const rules = this.#ports.instrumentRules.rulesOf(instrument);
    const intent = rules === undefined ? wanted : conformTerms(wanted, rules);
    if (intent === undefined || (rules === undefined && closing === undefined)) return undefined;
    const strategyId = managed?.snapshot.id ?? closing?.owner;
    const clientOrderId =
      managed === undefined
        ? `force-close-${++this.#forceCloseSequence}-${now}`
        : `${managed.snapshot.id}-${this.#options.session ?? "0"}-${++managed.orderSequence}`;
    const order = new Order({
      id: this.#ports.newId(),
      clientOrderId,
      strategyId,
      instrument,
      side: intent.side,
      type: intent.type,
      quantity: round8(intent.quantity),
      ...(intent.limitPrice === undefined ? {} : { limitPrice: intent.limitPrice }),
      createdAt: now,
      expiresAt: now + this.#options.orderTimeoutMs,
      ...(closing === undefined ? {} : { reason: closing.reason }),
    });
    if (managed !== undefined) this.#count(managed, 1, 0, 0);
    if (rules === undefined) {
      this.#orders.set(order.id, order);
      order.reject(now, `no trading rules (tick, lot) known for ${instrument} yet`);
      this.#touch(order);
      return order;
    }
    const { risk, venue } = this.#ports;
    const price = intent.limitPrice ?? this.#markOf(instrument);
    const checked = this.#ports.timeRiskCheck?.();
    // Valued only when a check asks: the books are a pass over every position and open order.
    let valued: ExposureLedger | undefined;
    const ledger = () => {
      valued ??= this.#ledger();
      return valued;
    };
    const rejection = risk.check(
      { strategyId, instrument, side: intent.side, quantity: intent.quantity, price },
      {
        netPosition: (i) => this.#ports.portfolio.netPosition(i),
        totalNotional: () => ledger().total(),
        openQuantity: (i, side) => this.#openQuantity((o) => o.instrument === i, side),
        book: (s, i) => ledger().book(s, i),
        portfolioValue: () => this.#ports.portfolio.totalValue(),
      },
      now,
      managed === undefined
        ? undefined
        : this.#strategyExposure(managed, instrument, intent.side, ledger),
      closing !== undefined,
    );
    checked?.();
    // Only now is the order in the books: the checks above measured the exposure without it.
    this.#orders.set(order.id, order);
    if (rejection !== undefined) {
      order.reject(now, rejection.reason);
      this.#touch(order);
      this.#ports.onRiskRejection?.(rejection, order.snapshot());
      return order;
    }
    risk.recordOrder(now);
    order.submit(now);
    this.#touch(order);
    this.#apply(venue.submit(order.snapshot(), this.#freshQuote(instrument, now), now), now);
    return order;
  }

  #apply(events: readonly VenueEvent[], now: number): void {
    for (const event of events) {
      if (event.type === "fill") {
        const order = this.#orders.get(event.fill.orderId);
        if (order === undefined || !order.isOpen) continue;
        order.fill(event.fill);
        const owner = order.strategyId;
        if (owner !== undefined) {
          const position = this.#ports.portfolio.applyFill(event.fill, owner);
          this.#pending.positions.set(keyOf(position), position);
          const managed = this.#strategies.get(owner);
          if (managed !== undefined) {
            this.#count(managed, 0, 1, event.fill.price * event.fill.quantity);
          }
        }
        this.#pending.fills.push(event.fill);
        this.#touch(order);
      } else {
        const order = this.#orders.get(event.orderId);
        if (order === undefined) continue;
        if (event.type === "accepted") order.accept(now);
        else order.reject(now, event.reason);
        this.#touch(order);
      }
    }
  }

  #expire(now: number): void {
    for (const order of this.#openOrders()) {
      if (
        now >= order.snapshot().expiresAt &&
        (order.status === "accepted" || order.status === "partially_filled")
      ) {
        this.#ports.venue.cancel(order.id);
        order.expire(now);
        this.#touch(order);
      }
    }
  }

  #enforceMaxLoss(now: number): void {
    const valuation = this.#ports.portfolio.valuation(now);
    for (const managed of this.#strategies.values()) {
      const maxLoss = managed.snapshot.limits.maxLoss;
      if (maxLoss <= 0 || !canTransition(managed.snapshot.status, "error")) continue;
      const pnl =
        valuation.strategies.find((s) => s.strategyId === managed.snapshot.id)?.totalPnl ?? 0;
      if (pnl <= -maxLoss)
        this.#fail(managed, `max loss reached: PnL ${round8(pnl)} ≤ −${maxLoss}`, now);
    }
  }

  #fail(managed: ManagedStrategy, why: string, now: number): void {
    const reason = why.length > 500 ? `${why.slice(0, 499)}…` : why;
    this.#cancelWhere((o) => o.strategyId === managed.snapshot.id, now, reason);
    this.#setStatus(managed, "error", reason, now);
  }

  #pause(managed: ManagedStrategy, reason: string, now: number): void {
    this.#cancelWhere(
      (o) => o.strategyId === managed.snapshot.id,
      now,
      `strategy paused: ${reason}`,
    );
    this.#setStatus(managed, "paused", reason, now);
  }

  #closePositions(
    matches: (p: PositionSnapshot) => boolean,
    now: number,
    reason: string,
  ): OrderSnapshot[] {
    const placed: OrderSnapshot[] = [];
    for (const position of this.#ports.portfolio.positions()) {
      if (position.quantity === 0 || !matches(position)) continue;
      // Working orders on the position (an earlier close among them) go first, so the close is
      // sized on the position alone and can never overshoot it.
      this.#cancelWhere(
        (o) => o.strategyId === position.strategyId && o.instrument === position.instrument,
        now,
        reason,
      );
      const rules = this.#ports.instrumentRules.rulesOf(position.instrument);
      const size = Math.abs(position.quantity);
      for (const quantity of rules === undefined ? [size] : closingQuantities(size, rules)) {
        const order = this.#place(
          undefined,
          position.instrument,
          { side: position.quantity > 0 ? "sell" : "buy", type: "market", quantity },
          now,
          { owner: position.strategyId, reason },
        );
        if (order !== undefined) placed.push(order.snapshot());
      }
    }
    return placed;
  }

  #cancelWhere(matches: (order: Order) => boolean, now: number, reason: string): string[] {
    const cancelled: string[] = [];
    for (const order of this.#openOrders(matches)) {
      this.#cancel(order, now, reason);
      cancelled.push(order.id);
    }
    return cancelled;
  }

  #cancel(order: Order, now: number, reason: string): void {
    this.#ports.venue.cancel(order.id);
    order.cancel(now, reason);
    this.#touch(order);
  }

  /**
   * Puts the strategy's memory into its snapshot (stored with this operation) when it changed,
   * at most every {@link MEMORY_SAVE_INTERVAL_MS}.
   */
  #saveMemory(managed: ManagedStrategy, now: number): void {
    const memory = managed.strategy.memory;
    if (memory === undefined || memory.version === managed.savedMemory.version) return;
    if (now - managed.savedMemory.at < MEMORY_SAVE_INTERVAL_MS) return;
    managed.savedMemory = { version: memory.version, at: now };
    managed.snapshot = { ...managed.snapshot, state: memory.save() };
    this.#pending.strategies.set(managed.snapshot.id, managed.snapshot);
  }

  /** Adds to a strategy's activity; the strategy row is stored with the same operation. */
  #count(managed: ManagedStrategy, orders: number, fills: number, notional: number): void {
    const { activity } = managed.snapshot;
    managed.snapshot = {
      ...managed.snapshot,
      activity: {
        orderCount: activity.orderCount + orders,
        fillCount: activity.fillCount + fills,
        tradedNotional: round8(activity.tradedNotional + notional),
      },
    };
    this.#pending.strategies.set(managed.snapshot.id, managed.snapshot);
  }

  #setStatus(managed: ManagedStrategy, status: StrategyStatus, reason: string, now: number): void {
    const from = managed.snapshot.status;
    if (from === status) return;
    const { startedAt: _s, stoppedAt: _t, ...rest } = managed.snapshot;
    const startedAt = status === "active" ? now : managed.snapshot.startedAt;
    const ends = status === "stopped" || status === "error";
    const stoppedAt = ends ? now : managed.snapshot.stoppedAt;
    managed.snapshot = {
      ...rest,
      status,
      statusReason: reason,
      updatedAt: now,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(stoppedAt === undefined ? {} : { stoppedAt }),
    };
    this.#pending.strategies.set(managed.snapshot.id, managed.snapshot);
    // Any end — a stop or an error — starts the cooldown, as `restore` derives it from stoppedAt.
    if (ends)
      for (const instrument of managed.snapshot.instruments) this.#lastStopAt.set(instrument, now);
  }

  #strategyExposure(
    managed: ManagedStrategy,
    instrument: string,
    side: OrderSide,
    ledger: () => ExposureLedger,
  ): StrategyExposure {
    const id = managed.snapshot.id;
    const position = this.#ports.portfolio.position(id, instrument);
    const open = this.#openOrders((o) => o.strategyId === id);
    return {
      maxPosition: managed.snapshot.limits.maxPosition,
      maxNotional: managed.snapshot.limits.maxNotional,
      maxOpenOrders: managed.snapshot.limits.maxOpenOrders,
      position: position.quantity,
      openQuantitySameSide: this.#openQuantity(
        (o) => o.strategyId === id && o.instrument === instrument,
        side,
      ),
      get notional() {
        return ledger().strategyTotal(id);
      },
      openOrders: open.length,
    };
  }

  /** The books valued now, for the exposure measures of risk. */
  #ledger(): ExposureLedger {
    return new ExposureLedger(
      this.#ports.portfolio.positions(),
      this.#openOrders().map((o) => {
        const s = o.snapshot();
        return {
          strategyId: s.strategyId,
          instrument: s.instrument,
          side: s.side,
          remaining: o.remaining,
          price: this.#priceOf(s),
        };
      }),
    );
  }

  #openQuantity(matches: (order: Order) => boolean, side: OrderSide): number {
    return round8(
      this.#openOrders((o) => matches(o) && o.side === side).reduce(
        (sum, o) => sum + o.remaining,
        0,
      ),
    );
  }

  #openOrders(matches: (order: Order) => boolean = () => true): Order[] {
    const open: Order[] = [];
    for (const order of this.#openOrdersById.values()) if (matches(order)) open.push(order);
    return open;
  }

  /** The instrument's last quote while it is a market to trade on (see the class contract). */
  #freshQuote(instrument: string, now: number): MarketQuote | undefined {
    const quote = this.#quotes.get(instrument);
    if (quote === undefined || this.#feedStale) return undefined;
    return now - quote.timestamp <= this.#options.maxQuoteAgeMs ? quote : undefined;
  }

  #priceOf(order: OrderSnapshot): number {
    return order.limitPrice ?? this.#markOf(order.instrument);
  }

  #markOf(instrument: string): number {
    const quote = this.#quotes.get(instrument);
    return quote === undefined ? (this.#ports.portfolio.markOf(instrument) ?? 0) : midOf(quote);
  }

  #touch(order: Order): void {
    const snapshot = order.snapshot();
    this.#pending.orders.set(snapshot.id, snapshot);
    if (order.isOpen) {
      this.#openOrdersById.set(order.id, order);
    } else {
      this.#openOrdersById.delete(order.id);
      this.#remember(order.id);
    }
  }

  #remember(closedId: string): void {
    this.#closedOrderIds.push(closedId);
    const keep = this.#options.closedOrderHistory ?? 10_000;
    while (this.#closedOrderIds.length > keep) {
      const oldest = this.#closedOrderIds.shift();
      if (oldest !== undefined) this.#orders.delete(oldest);
    }
  }

  #need(id: string): ManagedStrategy {
    const managed = this.#strategies.get(id);
    if (managed === undefined) throw new EngineRequestError("not_found", `unknown strategy ${id}`);
    return managed;
  }

  #riskState(): RiskState {
    const peakValue = this.#ports.portfolio.valuation(0).peakValue;
    this.#savedPeak = Math.max(this.#savedPeak, peakValue);
    return { limits: this.#ports.risk.limits, breaker: this.#ports.risk.breaker, peakValue };
  }

  #flush(): void {
    const pending = this.#pending;
    const riskChanged = this.#riskChanged;
    if (
      pending.strategies.size +
        pending.orders.size +
        pending.fills.length +
        pending.positions.size ===
        0 &&
      !riskChanged
    ) {
      return;
    }
    this.#pending = emptyPending();
    this.#riskChanged = false;
    this.#ports.onChanges({
      strategies: [...pending.strategies.values()],
      orders: [...pending.orders.values()],
      fills: pending.fills,
      positions: [...pending.positions.values()],
      ...(riskChanged ? { risk: this.#riskState() } : {}),
    });
  }
}

function emptyPending() {
  return {
    strategies: new Map<string, StrategySnapshot>(),
    orders: new Map<string, OrderSnapshot>(),
    fills: [] as Fill[],
    positions: new Map<string, PositionSnapshot>(),
  };
}

function keyOf(position: PositionSnapshot): string {
  return `${position.strategyId}\u0000${position.instrument}`;
}
