import type { EngineStateRecord } from "../model/engine-state.js";
import type { OrderRecord } from "../model/order.js";
import { type PositionRecord, positionKey } from "../model/position.js";
import type { StrategyRecord } from "../model/strategy.js";
import type { TradeRecord } from "../model/trade.js";
import type { ValidTradingChanges } from "../model/trading-changes.js";

/**
 * Validated changes merged into one commit: consecutive batches folded together by key.
 *
 * Contract: a later strategy / order / position / engine state record of a key replaces the earlier one (its latest
 * state is what gets written); a trade is kept once, the first time its id is seen (trades are
 * immutable). Merging keeps every change of the batches in the merged set, so committing it
 * writes what committing them one by one would have left in the tables.
 */
export class PendingChanges {
  readonly #strategies = new Map<string, StrategyRecord>();
  readonly #orders = new Map<string, OrderRecord>();
  readonly #trades = new Map<string, TradeRecord>();
  readonly #positions = new Map<string, PositionRecord>();
  readonly #engineState = new Map<string, EngineStateRecord>();

  /** Folds `changes` in as the newest batch. */
  add(changes: ValidTradingChanges): void {
    for (const s of changes.strategies) this.#strategies.set(s.strategyId, s);
    for (const o of changes.orders) this.#orders.set(o.orderId, o);
    for (const t of changes.trades)
      if (!this.#trades.has(t.tradeId)) this.#trades.set(t.tradeId, t);
    for (const p of changes.positions) this.#positions.set(positionKey(p), p);
    for (const e of changes.engineState) this.#engineState.set(e.key, e);
  }

  /** Folds `newer` in as more recent than everything here. */
  absorb(newer: PendingChanges): void {
    this.add(newer.changes());
  }

  /** The order record of `orderId` held here (ids in lower case, as validated). */
  order(orderId: string): OrderRecord | undefined {
    return this.#orders.get(orderId);
  }

  /** The trades of `orderId` held here. */
  tradesOf(orderId: string): TradeRecord[] {
    return [...this.#trades.values()].filter((t) => t.orderId === orderId);
  }

  /** Records held (one per key). */
  get size(): number {
    return (
      this.#strategies.size +
      this.#orders.size +
      this.#trades.size +
      this.#positions.size +
      this.#engineState.size
    );
  }

  /** The merged changes, as one commit. */
  changes(): ValidTradingChanges {
    return {
      strategies: [...this.#strategies.values()],
      orders: [...this.#orders.values()],
      trades: [...this.#trades.values()],
      positions: [...this.#positions.values()],
      engineState: [...this.#engineState.values()],
    };
  }
}
