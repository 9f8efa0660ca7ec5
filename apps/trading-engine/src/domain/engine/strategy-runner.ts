import { messageOf } from "@tse/error-text";
import type { InstrumentRulesSource } from "../orders/instrument-rules.js";
import type { Portfolio } from "../portfolio/portfolio.js";
import type { PositionSnapshot } from "../portfolio/position.js";
import { positionLimitOf } from "../risk/risk-limits.js";
import type { RiskManager } from "../risk/risk-manager.js";
import { round8 } from "../shared/decimal.js";
import type { MarketQuote } from "../shared/market-quote.js";
import type { TradingStrategy } from "../strategies/trading-strategy.js";
import { EngineRequestError } from "./engine-request-error.js";
import type { MarketQuotes } from "./market-quotes.js";
import type { OrderBook } from "./order-book.js";
import type { OrderExecution } from "./order-execution.js";
import { canTransition } from "./strategy-lifecycle.js";
import { type ManagedStrategy, STALE_FEED_REASON, type StrategyRoster } from "./strategy-roster.js";

/** What the strategy runner reads: the engine's ports it uses. */
export interface StrategyRunnerPorts {
  readonly portfolio: Portfolio;
  readonly risk: RiskManager;
  readonly instrumentRules: InstrumentRulesSource;
}

/** The engine's parts the strategy runner works with. */
export interface StrategyRunnerParts {
  readonly strategies: StrategyRoster;
  readonly orders: OrderBook;
  readonly quotes: MarketQuotes;
  readonly execution: OrderExecution;
}

/**
 * Runs the strategies: asks each active one for its decision on a quote and carries it out,
 * and moves strategies between statuses — a stop, pause or resume by request, a pause before a
 * force close or for a stale feed, ERROR for a strategy that throws or loses its `maxLoss`. A
 * stop, a pause or an error cancels the strategy's open orders first.
 */
export class StrategyRunner {
  readonly #ports: StrategyRunnerPorts;
  readonly #parts: StrategyRunnerParts;

  constructor(ports: StrategyRunnerPorts, parts: StrategyRunnerParts) {
    this.#ports = ports;
    this.#parts = parts;
  }

  /**
   * Lets the strategies trading `quote`'s instrument (only the strategy `only`, when given)
   * decide on it: an INACTIVE one becomes ACTIVE; nothing is decided while the feed is stale,
   * and no strategy decides while the breaker is engaged.
   */
  run(quote: MarketQuote, now: number, only?: string): void {
    if (this.#parts.quotes.stale) return;
    const { portfolio, risk, instrumentRules } = this.#ports;
    const { strategies, orders, execution } = this.#parts;
    for (const managed of strategies.all()) {
      if (only !== undefined && managed.snapshot.id !== only) continue;
      if (!managed.snapshot.instruments.includes(quote.instrument)) continue;
      if (managed.snapshot.status === "inactive") strategies.setStatus(managed, "active", "", now);
      if (managed.snapshot.status !== "active" || risk.breaker.engaged) continue;
      const position = portfolio.position(managed.snapshot.id, quote.instrument, now);
      const mine = orders.open(
        (o) => o.strategyId === managed.snapshot.id && o.instrument === quote.instrument,
      );
      const rules = instrumentRules.rulesOf(quote.instrument);
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
            managed.snapshot.limits.maxPosition || positionLimitOf(risk.limits, quote.instrument),
          ...(rules === undefined ? {} : { rules }),
        });
      } catch (error) {
        this.fail(managed, `strategy failed: ${messageOf(error)}`, now);
        continue;
      }
      strategies.saveMemory(managed, now);
      for (const id of decision.cancel) {
        const order = orders.get(id);
        if (order?.isOpen && order.strategyId === managed.snapshot.id)
          execution.cancel(order, now, "replaced by the strategy");
      }
      try {
        for (const intent of decision.place) {
          execution.place(managed, quote.instrument, intent, now);
          if (managed.snapshot.status !== "active" || risk.breaker.engaged) break;
        }
      } catch (error) {
        this.fail(managed, `strategy produced an invalid order: ${messageOf(error)}`, now);
      }
    }
  }

  /**
   * Stops a strategy by request, cancelling its orders and, when `closePositions`, closing its
   * positions. A strategy already STOPPED or in ERROR keeps its status and stop time.
   */
  stop(managed: ManagedStrategy, closePositions: boolean, now: number): void {
    const id = managed.snapshot.id;
    const { execution, strategies } = this.#parts;
    execution.cancelWhere((order) => order.strategyId === id, now, "strategy stopped");
    if (closePositions)
      execution.closePositions((p) => p.strategyId === id, now, "strategy stopped");
    if (canTransition(managed.snapshot.status, "stopped"))
      strategies.setStatus(managed, "stopped", "stopped by request", now);
  }

  /** Pauses an ACTIVE strategy by request; PAUSED stays PAUSED, others `failed_precondition`. */
  pauseByRequest(managed: ManagedStrategy, reason: string, now: number): void {
    const { status } = managed.snapshot;
    if (status === "paused") return;
    if (status !== "active") {
      throw new EngineRequestError(
        "failed_precondition",
        `strategy ${managed.snapshot.id} is ${status}: it cannot be paused`,
      );
    }
    this.pause(managed, reason, now);
  }

  /**
   * Resumes a PAUSED strategy by request; ACTIVE stays ACTIVE, others `failed_precondition`, as
   * is any resume while the breaker is engaged.
   */
  resume(managed: ManagedStrategy, now: number): void {
    const { status } = managed.snapshot;
    if (status === "active") return;
    if (status !== "paused") {
      throw new EngineRequestError(
        "failed_precondition",
        `strategy ${managed.snapshot.id} is ${status}: only a paused strategy resumes`,
      );
    }
    this.refuseWhileBreakerEngaged();
    managed.pausedForStaleFeed = false;
    this.#parts.strategies.setStatus(managed, "active", "", now);
  }

  /** Throws `failed_precondition` while the circuit breaker is engaged. */
  refuseWhileBreakerEngaged(): void {
    const { breaker } = this.#ports.risk;
    if (breaker.engaged) {
      throw new EngineRequestError(
        "failed_precondition",
        `the circuit breaker is engaged: ${breaker.reason}`,
      );
    }
  }

  /**
   * The feed went stale (pausing the ACTIVE and INACTIVE strategies) or fresh again (resuming
   * the ones it paused; strategies paused otherwise stay paused).
   */
  feedStaleChanged(stale: boolean, now: number): void {
    for (const managed of this.#parts.strategies.all()) {
      if (
        stale &&
        (managed.snapshot.status === "active" || managed.snapshot.status === "inactive")
      ) {
        this.pause(managed, STALE_FEED_REASON, now);
        managed.pausedForStaleFeed = true;
      } else if (!stale && managed.pausedForStaleFeed && managed.snapshot.status === "paused") {
        managed.pausedForStaleFeed = false;
        this.#parts.strategies.setStatus(managed, "active", "", now);
      }
    }
  }

  /** Puts every strategy whose PnL reached −`maxLoss` into ERROR. */
  enforceMaxLoss(now: number): void {
    const valuation = this.#ports.portfolio.valuation(now);
    for (const managed of this.#parts.strategies.all()) {
      const maxLoss = managed.snapshot.limits.maxLoss;
      if (maxLoss <= 0 || !canTransition(managed.snapshot.status, "error")) continue;
      const pnl =
        valuation.strategies.find((s) => s.strategyId === managed.snapshot.id)?.totalPnl ?? 0;
      if (pnl <= -maxLoss)
        this.fail(managed, `max loss reached: PnL ${round8(pnl)} ≤ −${maxLoss}`, now);
    }
  }

  /** Cancels the strategy's orders and puts it into ERROR, `why` cut to 500 characters. */
  fail(managed: ManagedStrategy, why: string, now: number): void {
    const reason = why.length > 500 ? `${why.slice(0, 499)}…` : why;
    this.#parts.execution.cancelWhere((o) => o.strategyId === managed.snapshot.id, now, reason);
    this.#parts.strategies.setStatus(managed, "error", reason, now);
  }

  /**
   * Pauses the strategies holding a non-flat position `matches` accepts (before their positions
   * are closed), those that can be paused.
   */
  pauseHolders(
    matches: (position: PositionSnapshot) => boolean,
    reason: string,
    now: number,
  ): void {
    for (const position of this.#ports.portfolio.positions()) {
      if (position.quantity === 0 || !matches(position)) continue;
      const managed = this.#parts.strategies.get(position.strategyId);
      if (managed !== undefined && canTransition(managed.snapshot.status, "paused"))
        this.pause(managed, reason, now);
    }
  }

  /** Cancels the strategy's orders and pauses it for `reason`. */
  pause(managed: ManagedStrategy, reason: string, now: number): void {
    this.#parts.execution.cancelWhere(
      (o) => o.strategyId === managed.snapshot.id,
      now,
      `strategy paused: ${reason}`,
    );
    this.#parts.strategies.setStatus(managed, "paused", reason, now);
  }
}
