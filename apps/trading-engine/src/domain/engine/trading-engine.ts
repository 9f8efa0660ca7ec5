import { Order, type OrderSnapshot } from "../orders/order.js";
import type { MarkedPosition, PortfolioValuation } from "../portfolio/portfolio.js";
import type { PositionSnapshot } from "../portfolio/position.js";
import type { RiskLimits, RiskLimitsChange } from "../risk/risk-limits.js";
import type { CircuitBreakerState } from "../risk/risk-manager.js";
import { type MarketQuote, midOf } from "../shared/market-quote.js";
import { ChangeSet, type RiskState } from "./change-set.js";
import { EngineRequestError } from "./engine-request-error.js";
import { BookExposure } from "./exposure-view.js";
import { MarketQuotes } from "./market-quotes.js";
import { OrderBook, type OrderFilter } from "./order-book.js";
import { OrderExecution } from "./order-execution.js";
import { measureRiskUtilization, type RiskUtilization } from "./risk-utilization.js";
import type { StrategySnapshot } from "./strategy-lifecycle.js";
import type { StrategyPerformance } from "./strategy-performance.js";
import { type StartStrategyCommand, StrategyRoster } from "./strategy-roster.js";
import { StrategyRunner } from "./strategy-runner.js";
import type { TradingEngineOptions, TradingEnginePorts } from "./trading-engine-ports.js";

/**
 * The trading engine (docs/architecture.md#the-trading-engine): strategies trade quotes through
 * pre-trade risk into the execution venue; fills move the portfolio. One quote is processed
 * completely — marks, fills of working orders, expiries, the drawdown breaker, each active
 * strategy's decision — before the next, and every operation hands its changes to `onChanges` as
 * one unit.
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
  readonly #changes = new ChangeSet();
  readonly #orders: OrderBook;
  readonly #strategies: StrategyRoster;
  readonly #quotes: MarketQuotes;
  readonly #execution: OrderExecution;
  readonly #runner: StrategyRunner;
  /** The peak value last handed on with the risk state. */
  #savedPeak = 0;

  constructor(ports: TradingEnginePorts, options: TradingEngineOptions) {
    if (
      !(options.orderTimeoutMs > 0) ||
      !(options.cooldownMs >= 0) ||
      !(options.maxQuoteAgeMs > 0)
    ) {
      throw new RangeError("order timeout and quote age must be > 0, cooldown ≥ 0");
    }
    this.#ports = ports;
    this.#orders = new OrderBook(options.closedOrderHistory);
    this.#strategies = new StrategyRoster(this.#changes, options.cooldownMs);
    this.#quotes = new MarketQuotes(options.maxQuoteAgeMs, (i) => ports.portfolio.markOf(i));
    const parts = {
      orders: this.#orders,
      strategies: this.#strategies,
      quotes: this.#quotes,
      changes: this.#changes,
    };
    this.#execution = new OrderExecution(ports, parts, options);
    this.#runner = new StrategyRunner(ports, { ...parts, execution: this.#execution });
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
      this.#strategies.restore(
        snapshot,
        this.#ports.createStrategy(snapshot.type, snapshot.parameters),
      );
    }
    // Strategies the stale feed paused come back when the (new) feed is first reported fresh.
    this.#quotes.stale = [...this.#strategies.all()].some((m) => m.pausedForStaleFeed);
    const working: OrderSnapshot[] = [];
    for (const snapshot of state.openOrders) {
      this.#orders.restore(Order.restore(snapshot));
      if (snapshot.status === "accepted" || snapshot.status === "partially_filled")
        working.push(snapshot);
    }
    this.#ports.venue.restore(working);
    this.#ports.portfolio.restore(state.positions, this.#savedPeak);
  }

  /**
   * Starts a strategy: INACTIVE until a quote of one of its instruments arrives. Refused for a
   * taken id, while the breaker is engaged, or within the cooldown after a stop on one of its
   * instruments.
   */
  startStrategy(command: StartStrategyCommand, now: number): StrategySnapshot {
    if (this.#strategies.has(command.id)) {
      throw new EngineRequestError("already_exists", `strategy ${command.id} already exists`);
    }
    this.#runner.refuseWhileBreakerEngaged();
    const managed = this.#strategies.add(command, now);
    for (const instrument of command.instruments) {
      const quote = this.#quotes.fresh(instrument, now);
      if (quote !== undefined) this.#runner.run(quote, now, command.id);
    }
    this.#flush();
    return managed.snapshot;
  }

  /**
   * Stops a strategy for good, cancelling its orders and optionally closing its positions. A
   * strategy already STOPPED or in ERROR keeps its status and stop time, but `closePositions`
   * still closes what it holds: stopping is how a failed strategy is flattened.
   */
  stopStrategy(id: string, closePositions: boolean, now: number): StrategySnapshot {
    const managed = this.#strategies.need(id);
    this.#runner.stop(managed, closePositions, now);
    this.#flush();
    return managed.snapshot;
  }

  /** Pauses an ACTIVE strategy and cancels its orders; PAUSED stays PAUSED. */
  pauseStrategy(id: string, reason: string, now: number): StrategySnapshot {
    const managed = this.#strategies.need(id);
    this.#runner.pauseByRequest(managed, reason, now);
    this.#flush();
    return managed.snapshot;
  }

  /** Resumes a PAUSED strategy; ACTIVE stays ACTIVE. Refused while the breaker is engaged. */
  resumeStrategy(id: string, now: number): StrategySnapshot {
    const managed = this.#strategies.need(id);
    this.#runner.resume(managed, now);
    this.#flush();
    return managed.snapshot;
  }

  /** The strategy `id`; throws `not_found`. */
  strategy(id: string): StrategySnapshot {
    return this.#strategies.need(id).snapshot;
  }

  /** Every strategy, most recently created first. */
  strategies(): StrategySnapshot[] {
    return this.#strategies.snapshots();
  }

  /** The strategy's results. */
  performance(id: string): StrategyPerformance {
    const { activity } = this.#strategies.need(id).snapshot;
    const pnl = this.#ports.portfolio.strategyPnl(id);
    return {
      realizedPnl: pnl?.realizedPnl ?? 0,
      unrealizedPnl: pnl?.unrealizedPnl ?? 0,
      totalPnl: pnl?.totalPnl ?? 0,
      feesPaid: pnl?.feesPaid ?? 0,
      orderCount: activity.orderCount,
      fillCount: activity.fillCount,
      tradedNotional: activity.tradedNotional,
      openOrderCount: this.#orders.open((o) => o.strategyId === id).length,
    };
  }

  /**
   * Processes one quote at engine time `now`: marks, fills of working orders, expiries, the
   * drawdown breaker, then the decisions of the strategies trading the instrument.
   */
  onQuote(quote: MarketQuote, now: number): void {
    const stamped = this.#quotes.receive(quote, now);
    const { portfolio, venue, risk } = this.#ports;
    for (const position of portfolio.mark(quote.instrument, midOf(quote))) {
      this.#changes.position(position);
    }
    this.#execution.apply(venue.onQuote(stamped, now), now);
    this.#execution.expire(now);
    const valuation = portfolio.valuation(now);
    if (valuation.peakValue > this.#savedPeak) this.#changes.riskChanged();
    if (risk.watchDrawdown(valuation.drawdown, now)) {
      this.#changes.riskChanged();
      this.#execution.cancelWhere(
        () => true,
        now,
        `circuit breaker engaged: ${risk.breaker.reason}`,
      );
    }
    this.#runner.enforceMaxLoss(now);
    this.#runner.run(stamped, now);
    this.#flush();
  }

  /** The last quote seen of `instrument`. */
  quote(instrument: string): MarketQuote | undefined {
    return this.#quotes.last(instrument);
  }

  /**
   * Marks the feed stale (pausing active strategies) or fresh (resuming the ones it paused).
   */
  setFeedStale(stale: boolean, now: number): void {
    if (stale === this.#quotes.stale) return;
    this.#quotes.stale = stale;
    this.#runner.feedStaleChanged(stale, now);
    this.#flush();
  }

  /** Whether the feed is stale. */
  get feedStale(): boolean {
    return this.#quotes.stale;
  }

  /** Expires working orders past their time (call on a timer as well as on quotes). */
  expireOrders(now: number): void {
    this.#execution.expire(now);
    this.#flush();
  }

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
    this.#execution.cancel(order, now, reason);
    this.#flush();
    return order.snapshot();
  }

  /** The order `id`, if it is in memory (open, or among the recent closed ones). */
  order(id: string): OrderSnapshot | undefined {
    return this.#orders.get(id)?.snapshot();
  }

  /** Orders in memory matching `filter`, most recently created first. */
  orders(filter: OrderFilter = {}): OrderSnapshot[] {
    return this.#orders.list(filter);
  }

  /** Engages the breaker by hand; returns the ids of the orders it cancelled. */
  engageCircuitBreaker(reason: string, now: number): string[] {
    const { risk } = this.#ports;
    if (!risk.engage("manual", reason === "" ? "engaged by hand" : reason, now)) return [];
    this.#changes.riskChanged();
    const cancelled = this.#execution.cancelWhere(
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
      this.#changes.riskChanged();
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
    if (filter.strategyId !== undefined) this.#strategies.need(filter.strategyId);
    const why = reason === "" ? "force close" : reason;
    const matches = (p: PositionSnapshot) =>
      (filter.strategyId === undefined || p.strategyId === filter.strategyId) &&
      (filter.instrument === undefined || p.instrument === filter.instrument);
    this.#runner.pauseHolders(matches, why, now);
    const orders = this.#execution.closePositions(matches, now, why);
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
    this.#changes.riskChanged();
    this.#flush();
    return limits;
  }

  /** How much of each limit is used now. */
  riskUtilization(now: number): RiskUtilization {
    const { risk, portfolio } = this.#ports;
    const totalNotional = this.totalNotional();
    return measureRiskUtilization(
      { risk, portfolio, totalNotional, instruments: this.instrumentsInUse() },
      now,
    );
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
    return this.#exposure().totalNotional();
  }

  /** Instruments with a position or an open order. */
  instrumentsInUse(): string[] {
    return this.#exposure().instrumentsInUse();
  }

  #exposure(): BookExposure {
    return new BookExposure(this.#ports.portfolio, this.#orders, (i) => this.#quotes.markOf(i));
  }

  #riskState(): RiskState {
    const peakValue = this.#ports.portfolio.peakValue();
    this.#savedPeak = Math.max(this.#savedPeak, peakValue);
    return { limits: this.#ports.risk.limits, breaker: this.#ports.risk.breaker, peakValue };
  }

  #flush(): void {
    const changes = this.#changes.take(() => this.#riskState());
    if (changes !== undefined) this.#ports.onChanges(changes);
  }
}
