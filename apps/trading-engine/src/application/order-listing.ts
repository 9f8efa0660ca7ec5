import { matchesOrderFilter, type OrderFilter } from "../domain/engine/order-book.js";
import type { OrderSnapshot } from "../domain/orders/order.js";

/**
 * One answer to `filter` from orders listed by several sources — the store (whose rows may lag
 * behind the write-behind queue) and the engine's memory — with each order once, in its newest
 * state: `newest(id)` (the engine's state of the order, while it holds it) wins over every
 * listed copy, and a later listed copy over an earlier one, so sources are listed oldest
 * first. The filter is applied to that newest state, never to a stale copy: an order a source
 * listed as open but cancelled or filled since is left out. Most recently created first (then
 * by id, descending, as the store lists them), at most `filter.limit` (default 100).
 */
export function newestOrders(
  listed: readonly OrderSnapshot[],
  newest: (id: string) => OrderSnapshot | undefined,
  filter: OrderFilter,
): OrderSnapshot[] {
  const byId = new Map<string, OrderSnapshot>();
  for (const order of listed) byId.set(order.id, order);
  return [...byId.values()]
    .map((order) => newest(order.id) ?? order)
    .filter(matchesOrderFilter(filter))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, filter.limit ?? 100);
}
