import { isUuid } from "@tse/field-checks";
import {
  ConstraintViolationError,
  TRADING_CONSTRAINTS,
} from "../model/constraint-violation-error.js";
import { type EngineStateRecord, isEngineStateKey } from "../model/engine-state.js";
import { OPEN_ORDER_STATUSES, type OrderRecord } from "../model/order.js";
import { type PositionRecord, positionKey } from "../model/position.js";
import type { StrategyRecord } from "../model/strategy.js";
import type { TradeRecord } from "../model/trade.js";
import {
  type TradingChanges,
  type ValidTradingChanges,
  validateTradingChanges,
} from "../model/trading-changes.js";
import {
  checkOrderFilter,
  checkPositionFilter,
  checkStrategyFilter,
  checkTradeFilter,
  type OrderFilter,
  type PositionFilter,
  type StrategyFilter,
  type TradeFilter,
  type TradingState,
  type TradingStore,
} from "../repositories/trading-store.js";

/**
 * The {@link TradingStore} in memory: the default when no `POSTGRES_URL` is set, and the
 * reference the Postgres store is tested against (one contract suite runs on both).
 *
 * It checks what Postgres' constraints check — client order ids unique per strategy, an order's
 * strategy and a trade's order stored or in the same commit — before changing anything, so a
 * refused commit leaves no trace here either. Records handed out are copies (their `Date`s
 * fresh, their JSON frozen), so a caller cannot change what is stored.
 */
export class MemoryTradingStore implements TradingStore {
  readonly #strategies = new Map<string, StrategyRecord>();
  readonly #orders = new Map<string, OrderRecord>();
  /** `clientOrderKey` → order id: the unique client order id per strategy. */
  readonly #clientOrderIds = new Map<string, string>();
  readonly #trades = new Map<string, TradeRecord>();
  readonly #positions = new Map<string, PositionRecord>();
  readonly #engineState = new Map<string, EngineStateRecord>();

  async commit(changes: TradingChanges): Promise<void> {
    const valid = validateTradingChanges(changes);
    this.#checkConstraints(valid);
    for (const strategy of valid.strategies) this.#strategies.set(strategy.strategyId, strategy);
    for (const order of valid.orders) {
      const previous = this.#orders.get(order.orderId);
      if (previous !== undefined) this.#clientOrderIds.delete(clientOrderKey(previous));
    }
    for (const order of valid.orders) {
      this.#orders.set(order.orderId, order);
      this.#clientOrderIds.set(clientOrderKey(order), order.orderId);
    }
    for (const trade of valid.trades) {
      if (!this.#trades.has(trade.tradeId)) this.#trades.set(trade.tradeId, trade);
    }
    for (const position of valid.positions) this.#positions.set(positionKey(position), position);
    for (const record of valid.engineState) this.#engineState.set(record.key, record);
  }

  async loadState(): Promise<TradingState> {
    return {
      strategies: [...this.#strategies.values()].sort(byCreatedThenId).map(copy),
      openOrders: [...this.#orders.values()]
        .filter((order) => OPEN_ORDER_STATUSES.includes(order.status))
        .sort(byOrderCreation)
        .map(copy),
      positions: [...this.#positions.values()].sort(byStrategyThenInstrument).map(copy),
      engineState: [...this.#engineState.values()].sort((a, b) => compare(a.key, b.key)).map(copy),
    };
  }

  async getEngineState(key: string): Promise<EngineStateRecord | undefined> {
    if (!isEngineStateKey(key)) return undefined;
    const record = this.#engineState.get(key);
    return record === undefined ? undefined : copy(record);
  }

  async getStrategy(strategyId: string): Promise<StrategyRecord | undefined> {
    const strategy = this.#strategies.get(strategyId);
    return strategy === undefined ? undefined : copy(strategy);
  }

  async listStrategies(filter?: StrategyFilter): Promise<StrategyRecord[]> {
    const f = checkStrategyFilter(filter);
    return [...this.#strategies.values()]
      .filter(
        (s) =>
          (f.statuses === undefined || f.statuses.includes(s.status)) &&
          (f.type === undefined || s.type === f.type),
      )
      .sort(
        (a, b) =>
          b.createdAt.getTime() - a.createdAt.getTime() || compare(a.strategyId, b.strategyId),
      )
      .map(copy);
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    if (!isUuid(orderId)) return undefined;
    const order = this.#orders.get(orderId.toLowerCase());
    return order === undefined ? undefined : copy(order);
  }

  async listOrders(filter?: OrderFilter): Promise<OrderRecord[]> {
    const f = checkOrderFilter(filter);
    return [...this.#orders.values()]
      .filter(
        (o) =>
          (f.statuses === undefined || f.statuses.includes(o.status)) &&
          (f.strategyId === undefined || o.strategyId === f.strategyId) &&
          (f.instrument === undefined || o.instrument === f.instrument),
      )
      .sort((a, b) => byOrderCreation(b, a))
      .slice(0, f.limit)
      .map(copy);
  }

  async listTrades(filter?: TradeFilter): Promise<TradeRecord[]> {
    const f = checkTradeFilter(filter);
    const oldestFirst = (a: TradeRecord, b: TradeRecord) =>
      a.timestamp.getTime() - b.timestamp.getTime() || compare(a.tradeId, b.tradeId);
    return [...this.#trades.values()]
      .filter(
        (t) =>
          (f.orderId === undefined || t.orderId === f.orderId) &&
          (f.strategyId === undefined || t.strategyId === f.strategyId) &&
          (f.instrument === undefined || t.instrument === f.instrument),
      )
      .sort(f.orderId === undefined ? (a, b) => oldestFirst(b, a) : oldestFirst)
      .slice(0, f.limit)
      .map(copy);
  }

  async listPositions(filter?: PositionFilter): Promise<PositionRecord[]> {
    const f = checkPositionFilter(filter);
    return [...this.#positions.values()]
      .filter(
        (p) =>
          (f.strategyId === undefined || p.strategyId === f.strategyId) &&
          (f.instrument === undefined || p.instrument === f.instrument),
      )
      .sort(byStrategyThenInstrument)
      .map(copy);
  }

  /** Throws a {@link ConstraintViolationError} when `changes` cannot be applied as a whole. */
  #checkConstraints(changes: ValidTradingChanges): void {
    const strategiesInBatch = new Set(changes.strategies.map((s) => s.strategyId));
    const ordersInBatch = new Set(changes.orders.map((o) => o.orderId));
    const claimed = new Map<string, string>();
    for (const order of changes.orders) {
      const { strategyId } = order;
      if (
        strategyId !== undefined &&
        !strategiesInBatch.has(strategyId) &&
        !this.#strategies.has(strategyId)
      ) {
        throw new ConstraintViolationError(
          TRADING_CONSTRAINTS.orderStrategy,
          `order ${order.orderId} refers to strategy "${strategyId}", which is not stored`,
        );
      }
      const key = clientOrderKey(order);
      const stored = this.#clientOrderIds.get(key);
      // A stored holder that this batch rewrites gives its key up (its new key is checked too).
      const holder =
        claimed.get(key) ??
        (stored !== undefined && !ordersInBatch.has(stored) ? stored : undefined);
      if (holder !== undefined && holder !== order.orderId) {
        throw new ConstraintViolationError(
          strategyId === undefined
            ? TRADING_CONSTRAINTS.manualClientOrderId
            : TRADING_CONSTRAINTS.strategyClientOrderId,
          `client order id "${order.clientOrderId}" of ${strategyId === undefined ? "manual orders" : `strategy "${strategyId}"`} is taken by order ${holder}`,
        );
      }
      claimed.set(key, order.orderId);
    }
    for (const trade of changes.trades) {
      if (this.#trades.has(trade.tradeId)) continue;
      if (!ordersInBatch.has(trade.orderId) && !this.#orders.has(trade.orderId)) {
        throw new ConstraintViolationError(
          TRADING_CONSTRAINTS.tradeOrder,
          `trade ${trade.tradeId} refers to order ${trade.orderId}, which is not stored`,
        );
      }
    }
  }
}

/** The unique key of an order's client order id: its strategy (none for manual orders) and the id. */
function clientOrderKey(order: OrderRecord): string {
  return `${order.strategyId ?? ""}\u0000${order.clientOrderId}`;
}

/** Code-unit order, the order of Postgres' `collate "C"` for these ASCII ids. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byCreatedThenId(a: StrategyRecord, b: StrategyRecord): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compare(a.strategyId, b.strategyId);
}

function byOrderCreation(a: OrderRecord, b: OrderRecord): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compare(a.orderId, b.orderId);
}

function byStrategyThenInstrument(a: PositionRecord, b: PositionRecord): number {
  return compare(a.strategyId, b.strategyId) || compare(a.instrument, b.instrument);
}

/** A copy of a stored record with fresh `Date`s (the rest is frozen or primitive). */
function copy<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = value instanceof Date ? new Date(value.getTime()) : value;
  }
  return out as T;
}
