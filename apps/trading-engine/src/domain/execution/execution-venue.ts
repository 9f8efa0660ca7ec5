import type { Fill, OrderSnapshot } from "../orders/order.js";
import type { MarketQuote } from "../shared/market-quote.js";

/** What a venue reports about an order. */
export type VenueEvent =
  | { readonly type: "accepted"; readonly orderId: string }
  | { readonly type: "rejected"; readonly orderId: string; readonly reason: string }
  | { readonly type: "fill"; readonly fill: Fill };

/**
 * Where orders are executed (docs/architecture.md#how-the-engine-trades). The engine submits
 * SUBMITTED orders and applies the events in the order returned; quotes drive fills of working
 * orders. The built-in implementation is the paper venue; a real exchange adapter would implement
 * the same port.
 *
 * Time: `now` is the engine's clock at the call. A fill happens at `now` and is stamped so —
 * never with an earlier quote's time, so never before the order it fills was created.
 */
export interface ExecutionVenue {
  /**
   * Takes a submitted order: its acceptance or rejection, and any immediate fills. `quote` is
   * the instrument's current market, or `undefined` when the engine has none fresh enough to
   * trade on: the order is then accepted and works until a quote arrives.
   */
  submit(order: OrderSnapshot, quote: MarketQuote | undefined, now: number): VenueEvent[];
  /** Withdraws a working order; `false` when the venue has no such working order. */
  cancel(orderId: string): boolean;
  /** The fills the new quote, arrived at `now`, causes for working orders of its instrument. */
  onQuote(quote: MarketQuote, now: number): VenueEvent[];
  /** Takes back working orders after a restart (no events: they were accepted before). */
  restore(orders: readonly OrderSnapshot[]): void;
}
