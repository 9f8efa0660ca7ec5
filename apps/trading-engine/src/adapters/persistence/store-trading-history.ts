import type { TradingDataAdapter } from "@tse/trading-data-adapter";
import type { TradingHistory } from "../../application/trading-history.js";
import type { EngineChanges } from "../../domain/engine/change-set.js";
import type { OrderFilter } from "../../domain/engine/order-book.js";
import type { OrderSnapshot } from "../../domain/orders/order.js";
import { fromOrderRecord, toTradingChanges } from "./trading-records.js";

/**
 * The desk's history on the trading data adapter: each operation's changes go to the
 * write-behind queue as one commit; stored orders are read back with their fills, in the
 * queue's newer state when it still holds one (the row a lagging commit has not updated yet
 * would otherwise show a cancelled order as open).
 */
export class StoreTradingHistory implements TradingHistory {
  readonly #adapter: TradingDataAdapter;
  readonly #onError: (error: unknown) => void;

  constructor(adapter: TradingDataAdapter, onError: (error: unknown) => void) {
    this.#adapter = adapter;
    this.#onError = onError;
  }

  record(changes: EngineChanges): void {
    try {
      this.#adapter.writes.enqueue(toTradingChanges(changes, Date.now()));
    } catch (error) {
      // A record the store refuses is a bug in the engine's bookkeeping: report it loudly, and
      // keep trading on what the engine holds.
      this.#onError(error);
    }
  }

  async order(id: string): Promise<OrderSnapshot | undefined> {
    const order = await this.#adapter.store.getOrder(id);
    return order === undefined
      ? undefined
      : fromOrderRecord(order, await this.#adapter.store.listTrades({ orderId: order.orderId }));
  }

  async orders(filter: OrderFilter): Promise<OrderSnapshot[]> {
    const orders = await this.#adapter.store.listOrders({
      ...(filter.statuses === undefined || filter.statuses.length === 0
        ? {}
        : { statuses: filter.statuses }),
      ...(filter.strategyId === undefined ? {} : { strategyId: filter.strategyId }),
      ...(filter.instrument === undefined ? {} : { instrument: filter.instrument }),
      limit: filter.limit ?? 100,
    });
    return Promise.all(
      orders.map(async (row) => {
        const pending = this.#adapter.writes.pendingOrder(row.orderId);
        const order = pending?.order ?? row;
        const stored =
          order.filledQuantity > 0
            ? await this.#adapter.store.listTrades({ orderId: order.orderId })
            : [];
        // Trades committed with the row, then the ones still queued with the newer state.
        const trades = new Map([...stored, ...(pending?.trades ?? [])].map((t) => [t.tradeId, t]));
        return fromOrderRecord(
          order,
          [...trades.values()].sort(
            (a, b) => +a.timestamp - +b.timestamp || (a.tradeId < b.tradeId ? -1 : 1),
          ),
        );
      }),
    );
  }
}
