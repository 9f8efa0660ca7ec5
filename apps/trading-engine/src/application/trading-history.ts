import type { EngineChanges } from "../domain/engine/change-set.js";
import type { OrderFilter } from "../domain/engine/order-book.js";
import type { OrderSnapshot } from "../domain/orders/order.js";

/** Where the desk keeps what the engine did. */
export interface TradingHistory {
  /** Queues one operation's changes for storage (atomically, in order, never waiting). */
  record(changes: EngineChanges): void;
  /**
   * Stored orders matching `filter`, most recent first (beyond what the engine keeps), each in
   * its newest known state — the write-behind queue's when it still holds a newer one — which
   * may therefore no longer match `filter`.
   */
  orders(filter: OrderFilter): Promise<OrderSnapshot[]>;
  /** One stored order with its fills, or `undefined`. */
  order(id: string): Promise<OrderSnapshot | undefined>;
}
