import type { MetricsPort } from "@tse/metrics-port";
import type { ConflatingHub } from "@tse/service-kit";
import { EngineRequestError } from "../domain/engine/engine-request-error.js";
import type { OrderFilter } from "../domain/engine/order-book.js";
import {
  resolveStrategyLimits,
  type StrategyLimits,
  type StrategySnapshot,
} from "../domain/engine/strategy-lifecycle.js";
import type { StrategyPerformance } from "../domain/engine/strategy-performance.js";
import type { TradingEngine } from "../domain/engine/trading-engine.js";
import type { InstrumentRulesSource } from "../domain/orders/instrument-rules.js";
import { OPEN_ORDER_STATUSES, type OrderSnapshot } from "../domain/orders/order.js";
import type { MarkedPosition, PortfolioValuation } from "../domain/portfolio/portfolio.js";
import type { PositionSnapshot } from "../domain/portfolio/position.js";
import { isInstrumentSymbol } from "../domain/shared/instrument-symbol.js";
import type { MarketQuote } from "../domain/shared/market-quote.js";
import {
  type MarketMakingInput,
  MarketMakingStrategy,
} from "../domain/strategies/market-making.js";
import {
  type MeanReversionInput,
  MeanReversionStrategy,
} from "../domain/strategies/mean-reversion.js";
import type { StrategyType, TradingStrategy } from "../domain/strategies/trading-strategy.js";
import type { InstrumentCatalog } from "./instrument-catalog.js";
import { checkInstrumentSymbol, checkOrderSizes } from "./instrument-checks.js";
import { newestOrders } from "./order-listing.js";
import { checkText } from "./request-checks.js";
import type { TradingChangeSink } from "./trading-change-sink.js";
import type { TradingHistory } from "./trading-history.js";
import { TRADING_METRICS } from "./trading-metrics.js";

/** A request to start a strategy, as the APIs and the boot list give it. */
export interface StartStrategyRequest {
  /** 1–64 of `[A-Za-z0-9_-]`; a new UUID when empty. */
  readonly id?: string;
  readonly name?: string;
  readonly type: StrategyType;
  readonly instruments: readonly string[];
  /** For `market_making` (and only for it). */
  readonly marketMaking?: MarketMakingInput;
  /** For `mean_reversion` (and only for it). */
  readonly meanReversion?: MeanReversionInput;
  readonly limits?: Partial<StrategyLimits>;
}

/** What the desk is wired to. */
export interface TradingDeskPorts {
  readonly engine: TradingEngine;
  /** The engine's change sink, which holds the update streams. */
  readonly changes: TradingChangeSink;
  readonly history: TradingHistory;
  /**
   * The feed's instruments and their order grids: right after `has` confirmed an instrument,
   * `rulesOf` answers from the same list.
   */
  readonly catalog: InstrumentCatalog & InstrumentRulesSource;
  readonly metrics: MetricsPort;
  /** Wall-clock ms. */
  readonly now: () => number;
  readonly newId: () => string;
  /** High-resolution ms, for latency histograms. */
  readonly elapsedMs: () => number;
}

const STRATEGY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STRATEGY_STATUSES = ["inactive", "active", "paused", "stopped", "error"] as const;

/**
 * The trading engine as a service (docs/architecture.md#the-route-of-an-order,
 * docs/operations.md#metrics): turns API requests into engine commands with validation, feeds it
 * quotes, and sends every change on — to the store, to the order and portfolio streams, and to the
 * metrics. One clock (`now`) stamps everything.
 */
export class TradingDesk {
  readonly #ports: TradingDeskPorts;

  constructor(ports: TradingDeskPorts) {
    this.#ports = ports;
  }

  /** Every change of an order, as the engine makes it. */
  get orderUpdates(): ConflatingHub<OrderSnapshot> {
    return this.#ports.changes.orderUpdates;
  }

  /** Every change of a position, as the engine makes it. */
  get positionUpdates(): ConflatingHub<PositionSnapshot> {
    return this.#ports.changes.positionUpdates;
  }

  /** Feeds one quote to the engine, timing the decision. */
  onQuote(quote: MarketQuote): void {
    const started = this.#ports.elapsedMs();
    this.#ports.engine.onQuote(quote, this.#ports.now());
    this.#ports.metrics.observeHistogram(
      TRADING_METRICS.decision,
      (this.#ports.elapsedMs() - started) / 1000,
    );
  }

  /** Marks the feed stale (pausing active strategies) or fresh (resuming those it paused). */
  setFeedStale(stale: boolean): void {
    this.#ports.engine.setFeedStale(stale, this.#ports.now());
  }

  /** Whether the feed is stale. */
  get feedStale(): boolean {
    return this.#ports.engine.feedStale;
  }

  /** Expires working orders past their time (call on a timer). */
  expireOrders(): void {
    this.#ports.engine.expireOrders(this.#ports.now());
  }

  /**
   * Validates a start request and starts the strategy. `checkInstruments` (default true) asks
   * the catalog that the feed has each instrument (`not_found` otherwise) and that the
   * strategy's order sizes can be traded on it (see `checkOrderSizes`); boot strategies skip
   * it, as the simulator may not be up yet.
   */
  async startStrategy(
    request: StartStrategyRequest,
    options: { readonly checkInstruments?: boolean } = {},
  ): Promise<StrategySnapshot> {
    const id = request.id === undefined || request.id === "" ? this.#ports.newId() : request.id;
    if (!STRATEGY_ID.test(id)) {
      throw new EngineRequestError(
        "invalid",
        "strategy_id must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
      );
    }
    if (request.instruments.length === 0)
      throw new EngineRequestError("invalid", "instruments must name at least one instrument");
    const instruments = [...new Set(request.instruments)];
    for (const instrument of instruments) {
      if (!isInstrumentSymbol(instrument)) {
        throw new EngineRequestError(
          "invalid",
          `instrument ${JSON.stringify(instrument)} must look like BTC-USD`,
        );
      }
    }
    const name =
      request.name === undefined || request.name === ""
        ? `${request.type} ${instruments.join(",")}`
        : request.name;
    checkText("name", name);
    let strategy: TradingStrategy;
    let limits: StrategyLimits;
    try {
      strategy = buildStrategy(request);
      limits = resolveStrategyLimits(request.limits);
    } catch (error) {
      if (error instanceof RangeError || error instanceof EngineRequestError) {
        throw error instanceof EngineRequestError
          ? error
          : new EngineRequestError("invalid", error.message);
      }
      throw error;
    }
    const { catalog } = this.#ports;
    for (const instrument of options.checkInstruments === false ? [] : instruments) {
      if (!(await catalog.has(instrument))) {
        throw new EngineRequestError(
          "not_found",
          `the market data feed has no instrument ${instrument}`,
        );
      }
      checkOrderSizes(strategy, instrument, catalog.rulesOf(instrument));
    }
    return this.#ports.engine.startStrategy(
      { id, name, type: request.type, instruments, strategy, limits },
      this.#ports.now(),
    );
  }

  /**
   * Stops a strategy for good, cancelling its orders and, when `closePositions`, closing its
   * positions (see `TradingEngine.stopStrategy`); `not_found` for an unknown strategy.
   */
  stopStrategy(id: string, closePositions: boolean): StrategySnapshot {
    return this.#ports.engine.stopStrategy(id, closePositions, this.#ports.now());
  }

  /** Pauses an ACTIVE strategy for `reason`; PAUSED stays PAUSED, others `failed_precondition`. */
  pauseStrategy(id: string, reason: string): StrategySnapshot {
    return this.#ports.engine.pauseStrategy(id, reason, this.#ports.now());
  }

  /** Resumes a PAUSED strategy; ACTIVE stays ACTIVE; refused while the breaker is engaged. */
  resumeStrategy(id: string): StrategySnapshot {
    return this.#ports.engine.resumeStrategy(id, this.#ports.now());
  }

  /** The strategy `id`; `not_found` for an unknown one. */
  strategy(id: string): StrategySnapshot {
    return this.#ports.engine.strategy(id);
  }

  /** Every strategy, most recently created first. */
  strategies(): StrategySnapshot[] {
    return this.#ports.engine.strategies();
  }

  /** The figures of strategy `id`; `not_found` for an unknown one. */
  performance(id: string): StrategyPerformance {
    return this.#ports.engine.performance(id);
  }

  /** The portfolio valued now. */
  valuation(): PortfolioValuation {
    return this.#ports.engine.valuation(this.#ports.now());
  }

  /** The open orders the engine holds (at most 10 000), most recently created first. */
  openOrders(): OrderSnapshot[] {
    return this.#ports.engine.orders({ statuses: OPEN_ORDER_STATUSES, limit: 10_000 });
  }

  /**
   * Cancels an open order. An order the engine no longer holds (closed before a restart, or
   * beyond its memory) is looked up in the store: returned when it was cancelled,
   * `failed_precondition` when it ended otherwise, `not_found` when it never existed.
   */
  async cancelOrder(id: string, reason: string): Promise<OrderSnapshot> {
    const { engine, history, now } = this.#ports;
    if (engine.order(id) !== undefined) return engine.cancelOrder(id, reason, now());
    const stored = await history.order(id);
    if (stored === undefined) throw new EngineRequestError("not_found", `unknown order ${id}`);
    if (stored.status === "cancelled") return stored;
    throw new EngineRequestError(
      "failed_precondition",
      `order ${id} is ${stored.status}: it cannot be cancelled`,
    );
  }

  /**
   * Orders matching `filter`: the engine's memory, completed from the store when it has more,
   * each order in its newest state before it is filtered (see `newestOrders`): the engine's,
   * then the write-behind queue's, then the stored row. A strategy id or instrument that no
   * order can have is refused as `invalid`.
   */
  async orders(filter: OrderFilter): Promise<OrderSnapshot[]> {
    if (filter.strategyId !== undefined && !STRATEGY_ID.test(filter.strategyId)) {
      throw new EngineRequestError(
        "invalid",
        "strategy_id must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
      );
    }
    if (filter.instrument !== undefined && !isInstrumentSymbol(filter.instrument)) {
      throw new EngineRequestError("invalid", "instrument must look like BTC-USD");
    }
    const limit = filter.limit ?? 100;
    const inMemory = this.#ports.engine.orders({ ...filter, limit });
    if (inMemory.length >= limit) return inMemory;
    const stored = await this.#ports.history.orders({ ...filter, limit });
    const { engine } = this.#ports;
    return newestOrders([...stored, ...inMemory], (id) => engine.order(id), { ...filter, limit });
  }

  /** Refreshes the gauges (positions, PnL, portfolio, breaker, strategies); call periodically. */
  recordGauges(): void {
    const { engine, metrics, now } = this.#ports;
    const valuation = engine.valuation(now());
    metrics.setGauge(TRADING_METRICS.portfolioValue, valuation.totalValue);
    metrics.setGauge(TRADING_METRICS.portfolioPnl, valuation.realizedPnl, { kind: "realized" });
    metrics.setGauge(TRADING_METRICS.portfolioPnl, valuation.unrealizedPnl, { kind: "unrealized" });
    metrics.setGauge(TRADING_METRICS.portfolioPnl, valuation.totalPnl, { kind: "total" });
    metrics.setGauge(TRADING_METRICS.drawdown, valuation.drawdown);
    metrics.setGauge(TRADING_METRICS.breaker, engine.breaker.engaged ? 1 : 0);
    for (const s of valuation.strategies) {
      metrics.setGauge(TRADING_METRICS.strategyPnl, s.realizedPnl, {
        strategy: s.strategyId,
        kind: "realized",
      });
      metrics.setGauge(TRADING_METRICS.strategyPnl, s.unrealizedPnl, {
        strategy: s.strategyId,
        kind: "unrealized",
      });
      metrics.setGauge(TRADING_METRICS.strategyPnl, s.totalPnl, {
        strategy: s.strategyId,
        kind: "total",
      });
    }
    for (const position of engine.positions()) {
      metrics.setGauge(TRADING_METRICS.position, position.quantity, {
        strategy: position.strategyId,
        instrument: position.instrument,
      });
    }
    const counts = new Map<string, number>(STRATEGY_STATUSES.map((s) => [s, 0]));
    for (const strategy of engine.strategies())
      counts.set(strategy.status, (counts.get(strategy.status) ?? 0) + 1);
    for (const [status, count] of counts)
      metrics.setGauge(TRADING_METRICS.strategies, count, { status });
  }

  /**
   * Every position with its mark (flat ones when asked), filtered; `invalid` for a malformed
   * instrument, `not_found` for an unknown strategy.
   */
  positions(filter: {
    readonly strategyId?: string;
    readonly instrument?: string;
    readonly includeFlat?: boolean;
  }): MarkedPosition[] {
    if (filter.strategyId !== undefined) this.#ports.engine.strategy(filter.strategyId);
    if (filter.instrument !== undefined) checkInstrumentSymbol("instrument", filter.instrument);
    return this.#ports.engine
      .positions()
      .filter(
        (p) =>
          (filter.includeFlat === true || p.quantity !== 0) &&
          (filter.strategyId === undefined || p.strategyId === filter.strategyId) &&
          (filter.instrument === undefined || p.instrument === filter.instrument),
      );
  }
}

/**
 * Builds the strategy a request describes; the parameters' case must match the type. Throws an
 * {@link EngineRequestError} or a `RangeError` naming the field.
 */
export function buildStrategy(request: StartStrategyRequest): TradingStrategy {
  if (request.type === "market_making") {
    if (request.meanReversion !== undefined) {
      throw new EngineRequestError(
        "invalid",
        "mean_reversion parameters given for a MARKET_MAKING strategy",
      );
    }
    return new MarketMakingStrategy(request.marketMaking ?? {});
  }
  if (request.marketMaking !== undefined) {
    throw new EngineRequestError(
      "invalid",
      "market_making parameters given for a MEAN_REVERSION strategy",
    );
  }
  return new MeanReversionStrategy(request.meanReversion ?? {});
}

/** Rebuilds a strategy from its type and stored (resolved) parameters: the engine's factory. */
export function strategyOf(type: StrategyType, parameters: object): TradingStrategy {
  return type === "market_making"
    ? new MarketMakingStrategy(parameters as MarketMakingInput)
    : new MeanReversionStrategy(parameters as MeanReversionInput);
}
