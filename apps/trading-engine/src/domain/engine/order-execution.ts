import type { ExecutionVenue, VenueEvent } from "../execution/execution-venue.js";
import {
  closingQuantities,
  conformTerms,
  type InstrumentRulesSource,
} from "../orders/instrument-rules.js";
import { Order, type OrderSnapshot } from "../orders/order.js";
import type { Portfolio } from "../portfolio/portfolio.js";
import type { PositionSnapshot } from "../portfolio/position.js";
import type { RiskManager, RiskRejection } from "../risk/risk-manager.js";
import { round8 } from "../shared/decimal.js";
import type { OrderIntent } from "../strategies/trading-strategy.js";
import type { ChangeSet } from "./change-set.js";
import { BookExposure } from "./exposure-view.js";
import type { MarketQuotes } from "./market-quotes.js";
import type { OrderBook } from "./order-book.js";
import type { ManagedStrategy, StrategyRoster } from "./strategy-roster.js";

/** What order execution is wired to: the engine's ports it uses. */
export interface OrderExecutionPorts {
  readonly venue: ExecutionVenue;
  readonly risk: RiskManager;
  readonly portfolio: Portfolio;
  readonly instrumentRules: InstrumentRulesSource;
  readonly newId: () => string;
  readonly onRiskRejection?: (rejection: RiskRejection, order: OrderSnapshot) => void;
  readonly timeRiskCheck?: () => () => void;
}

/** The engine's state order execution reads and writes. */
export interface OrderExecutionBooks {
  readonly orders: OrderBook;
  readonly strategies: StrategyRoster;
  readonly quotes: MarketQuotes;
  readonly changes: ChangeSet;
}

/** Order timing and naming, from the engine's options. */
export interface OrderExecutionOptions {
  readonly orderTimeoutMs: number;
  readonly session?: string;
}

/** An operator's closing order: whose position it closes, and why. */
export interface ClosingOrder {
  readonly owner: string;
  readonly reason: string;
}

/**
 * The orders' way from an intent to fills: onto the instrument's grid, through pre-trade risk,
 * into the venue, and the venue's events back into the order book and the portfolio; cancels,
 * expiries and an operator's closes. Every order whose state changes is recorded in the change
 * set and refiled in the order book.
 */
export class OrderExecution {
  readonly #ports: OrderExecutionPorts;
  readonly #books: OrderExecutionBooks;
  readonly #options: OrderExecutionOptions;
  #forceCloseSequence = 0;

  constructor(
    ports: OrderExecutionPorts,
    books: OrderExecutionBooks,
    options: OrderExecutionOptions,
  ) {
    this.#ports = ports;
    this.#books = books;
    this.#options = options;
  }

  /**
   * Places an order of a strategy, or (without `managed`) a closing order for `closing.owner`'s
   * position, which passes every limit; on the instrument's grid, or not at all (`undefined`,
   * see the `TradingEngine` contract).
   */
  place(
    managed: ManagedStrategy | undefined,
    instrument: string,
    wanted: OrderIntent,
    now: number,
    closing?: ClosingOrder,
  ): Order | undefined {
    const { instrumentRules, risk, venue } = this.#ports;
    const { orders, strategies, quotes } = this.#books;
    const rules = instrumentRules.rulesOf(instrument);
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
    if (managed !== undefined) strategies.count(managed, 1, 0, 0);
    if (rules === undefined) {
      orders.add(order);
      order.reject(now, `no trading rules (tick, lot) known for ${instrument} yet`);
      this.#touch(order);
      return order;
    }
    const price = intent.limitPrice ?? quotes.markOf(instrument);
    const checked = this.#ports.timeRiskCheck?.();
    const exposure = new BookExposure(this.#ports.portfolio, orders, (i) => quotes.markOf(i));
    const rejection = risk.check(
      { strategyId, instrument, side: intent.side, quantity: intent.quantity, price },
      exposure,
      now,
      {
        ...(managed === undefined
          ? {}
          : {
              strategy: exposure.strategy(
                managed.snapshot.id,
                managed.snapshot.limits,
                instrument,
                intent.side,
              ),
            }),
        closing: closing !== undefined,
      },
    );
    checked?.();
    // Only now is the order in the books: the checks above measured the exposure without it.
    orders.add(order);
    if (rejection !== undefined) {
      order.reject(now, rejection.reason);
      this.#touch(order);
      this.#ports.onRiskRejection?.(rejection, order.snapshot());
      return order;
    }
    risk.recordOrder(now);
    order.submit(now);
    this.#touch(order);
    this.apply(venue.submit(order.snapshot(), quotes.fresh(instrument, now), now), now);
    return order;
  }

  /** Applies the venue's events: fills move the order, its owner's position and activity. */
  apply(events: readonly VenueEvent[], now: number): void {
    const { orders, strategies, changes } = this.#books;
    for (const event of events) {
      if (event.type === "fill") {
        const order = orders.get(event.fill.orderId);
        if (order === undefined || !order.isOpen) continue;
        order.fill(event.fill);
        const owner = order.strategyId;
        if (owner !== undefined) {
          changes.position(this.#ports.portfolio.applyFill(event.fill, owner));
          const managed = strategies.get(owner);
          if (managed !== undefined) {
            strategies.count(managed, 0, 1, event.fill.price * event.fill.quantity);
          }
        }
        changes.fill(event.fill);
        this.#touch(order);
      } else {
        const order = orders.get(event.orderId);
        if (order === undefined) continue;
        if (event.type === "accepted") order.accept(now);
        else order.reject(now, event.reason);
        this.#touch(order);
      }
    }
  }

  /** Expires the working orders past their time. */
  expire(now: number): void {
    for (const order of this.#books.orders.open()) {
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

  /** Cancels the open orders `matches` accepts; returns their ids. */
  cancelWhere(matches: (order: Order) => boolean, now: number, reason: string): string[] {
    const cancelled: string[] = [];
    for (const order of this.#books.orders.open(matches)) {
      this.cancel(order, now, reason);
      cancelled.push(order.id);
    }
    return cancelled;
  }

  /** Cancels an open order at the venue and in the book. */
  cancel(order: Order, now: number, reason: string): void {
    this.#ports.venue.cancel(order.id);
    order.cancel(now, reason);
    this.#touch(order);
  }

  /**
   * Closes the non-flat positions `matches` accepts with reduce-only market orders past every
   * limit, cancelling the owner's working orders on each first; returns the orders placed.
   */
  closePositions(
    matches: (p: PositionSnapshot) => boolean,
    now: number,
    reason: string,
  ): OrderSnapshot[] {
    const placed: OrderSnapshot[] = [];
    for (const position of this.#ports.portfolio.positions()) {
      if (position.quantity === 0 || !matches(position)) continue;
      // Working orders on the position (an earlier close among them) go first, so the close is
      // sized on the position alone and can never overshoot it.
      this.cancelWhere(
        (o) => o.strategyId === position.strategyId && o.instrument === position.instrument,
        now,
        reason,
      );
      const rules = this.#ports.instrumentRules.rulesOf(position.instrument);
      const size = Math.abs(position.quantity);
      for (const quantity of rules === undefined ? [size] : closingQuantities(size, rules)) {
        const order = this.place(
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

  #touch(order: Order): void {
    this.#books.changes.order(order.snapshot());
    this.#books.orders.update(order);
  }
}
