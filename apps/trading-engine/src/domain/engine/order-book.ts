import type { Order, OrderSide, OrderSnapshot } from "../orders/order.js";
import { round8 } from "../shared/decimal.js";

/** Which orders {@link OrderBook.list} returns. */
export interface OrderFilter {
  readonly statuses?: readonly OrderSnapshot["status"][];
  readonly strategyId?: string;
  readonly instrument?: string;
  /** At most this many (100 when absent). */
  readonly limit?: number;
}

/**
 * Whether an order has one of `filter`'s statuses (any when none are given), its strategy and
 * its instrument; the limit is the caller's.
 */
export function matchesOrderFilter(filter: OrderFilter): (order: OrderSnapshot) => boolean {
  const statuses =
    filter.statuses === undefined || filter.statuses.length === 0
      ? undefined
      : new Set(filter.statuses);
  return (o) =>
    (statuses === undefined || statuses.has(o.status)) &&
    (filter.strategyId === undefined || o.strategyId === filter.strategyId) &&
    (filter.instrument === undefined || o.instrument === filter.instrument);
}

/** Closed orders an {@link OrderBook} keeps when not told otherwise. */
export const DEFAULT_CLOSED_ORDER_HISTORY = 10_000;

/**
 * The engine's orders: every open one, and the most recent closed ones (the store keeps them
 * all). The open ones are indexed apart, in creation order, since every quote looks at them
 * several times while the book also holds thousands of closed ones kept for queries.
 *
 * An order enters with {@link add} and is filed open or closed by {@link update}, which the
 * engine calls after every change of the order's state; past `closedOrderHistory` closed
 * orders, the oldest closed one is forgotten.
 */
export class OrderBook {
  readonly #orders = new Map<string, Order>();
  readonly #open = new Map<string, Order>();
  readonly #closedIds: string[] = [];
  readonly #closedOrderHistory: number;

  constructor(closedOrderHistory = DEFAULT_CLOSED_ORDER_HISTORY) {
    this.#closedOrderHistory = closedOrderHistory;
  }

  /** The order `id`, if the book holds it. */
  get(id: string): Order | undefined {
    return this.#orders.get(id);
  }

  /** Takes `order` into the book (it counts as open only once {@link update}d). */
  add(order: Order): void {
    this.#orders.set(order.id, order);
  }

  /** Takes back an order of an earlier run (a restart): open ones are open at once. */
  restore(order: Order): void {
    this.#orders.set(order.id, order);
    if (order.isOpen) this.#open.set(order.id, order);
  }

  /** Files `order` by its state now: among the open orders, or among the closed history. */
  update(order: Order): void {
    if (order.isOpen) {
      this.#open.set(order.id, order);
      return;
    }
    this.#open.delete(order.id);
    this.#closedIds.push(order.id);
    while (this.#closedIds.length > this.#closedOrderHistory) {
      const oldest = this.#closedIds.shift();
      if (oldest !== undefined) this.#orders.delete(oldest);
    }
  }

  /** The open orders `matches` accepts (every one by default), in creation order. */
  open(matches: (order: Order) => boolean = () => true): Order[] {
    const open: Order[] = [];
    for (const order of this.#open.values()) if (matches(order)) open.push(order);
    return open;
  }

  /** The remaining quantity of the open orders on `side` that `matches` accepts. */
  openQuantity(matches: (order: Order) => boolean, side: OrderSide): number {
    return round8(
      this.open((o) => matches(o) && o.side === side).reduce((sum, o) => sum + o.remaining, 0),
    );
  }

  /** The orders held matching `filter`, most recently created first. */
  list(filter: OrderFilter = {}): OrderSnapshot[] {
    return [...this.#orders.values()]
      .map((o) => o.snapshot())
      .filter(matchesOrderFilter(filter))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, filter.limit ?? 100);
  }
}
