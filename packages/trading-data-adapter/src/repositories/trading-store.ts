import { checkEnum, checkUuid, ValidationError } from "@tse/field-checks";
import type { EngineStateRecord } from "../model/engine-state.js";
import { ORDER_STATUSES, type OrderRecord, type OrderStatus } from "../model/order.js";
import type { PositionRecord } from "../model/position.js";
import {
  STRATEGY_STATUSES,
  STRATEGY_TYPES,
  type StrategyRecord,
  type StrategyStatus,
  type StrategyType,
  validateInstrument,
  validateStrategyId,
} from "../model/strategy.js";
import type { TradeRecord } from "../model/trade.js";
import type { TradingChanges } from "../model/trading-changes.js";

/** Which strategies {@link TradingStore.listStrategies} returns; every field narrows. */
export interface StrategyFilter {
  /** Only these statuses (an empty list matches nothing). */
  readonly statuses?: readonly StrategyStatus[];
  readonly type?: StrategyType;
}

/** Which orders {@link TradingStore.listOrders} returns; every field narrows. */
export interface OrderFilter {
  /** Only these statuses (an empty list matches nothing). */
  readonly statuses?: readonly OrderStatus[];
  readonly strategyId?: string;
  readonly instrument?: string;
  /** At most this many (default {@link DEFAULT_LIST_LIMIT}, 1 to {@link MAX_LIST_LIMIT}). */
  readonly limit?: number;
}

/** Which trades {@link TradingStore.listTrades} returns; every field narrows. */
export interface TradeFilter {
  readonly orderId?: string;
  readonly strategyId?: string;
  readonly instrument?: string;
  /** At most this many (default {@link DEFAULT_LIST_LIMIT}, 1 to {@link MAX_LIST_LIMIT}). */
  readonly limit?: number;
}

/** Which positions {@link TradingStore.listPositions} returns; every field narrows. */
export interface PositionFilter {
  readonly strategyId?: string;
  readonly instrument?: string;
}

/** What a restarting engine restores (see {@link TradingStore.loadState}). */
export interface TradingState {
  /** Every strategy, oldest created first (then by id). */
  readonly strategies: StrategyRecord[];
  /** Every order still open (pending, submitted, accepted, partially filled), oldest first. */
  readonly openOrders: OrderRecord[];
  /** Every position, by strategy id then instrument. */
  readonly positions: PositionRecord[];
  /** Every engine state record (circuit breaker, risk limits, …), by key. */
  readonly engineState: EngineStateRecord[];
}

/** The page size of `listOrders` / `listTrades` when the filter gives no limit. */
export const DEFAULT_LIST_LIMIT = 100;

/** The largest page `listOrders` / `listTrades` accept. */
export const MAX_LIST_LIMIT = 1_000;

/**
 * The trading engine's persistence port (docs/data-model.md#trading-tables): strategies, orders,
 * trades and positions, and the engine's own state that must survive a restart (engine state
 * records).
 *
 * Contract of every implementation:
 * - Records read back equal the validated records written: ids in lower case, amounts rounded
 *   to 8 decimals, optional fields absent (never `undefined`) when unset, strategies' `metadata`
 *   present (`{}` by default). Ties in every ordering are broken by id (code-unit order), so
 *   every store returns the same sequence.
 * - Ids, filters and limits are validated: a malformed filter value or a limit outside 1..1000
 *   rejects with a `ValidationError`; a lookup by a malformed id resolves `undefined`.
 */
export interface TradingStore {
  /**
   * Validates the whole batch first (a bad record rejects with a `ValidationError` naming it,
   * e.g. `orders[3].quantity`, and nothing is written), then writes it atomically in one
   * transaction: strategies, orders, positions and engine state records upserted by key
   * (replacing every field), trades inserted and ignored when the trade id is stored already
   * (so a retried batch is harmless). Strategies are written before orders, orders before
   * trades, then positions, then engine state.
   * Within the batch the last record of a key wins (the first, for trades). A batch whose
   * records contradict what is stored (a client order id taken in the strategy, an order of an
   * unknown strategy, a trade of an unknown order) rejects with a `ConstraintViolationError`
   * and writes nothing.
   */
  commit(changes: TradingChanges): Promise<void>;

  /**
   * What a restarting engine needs: every strategy, every open order, every position, every
   * engine state record, read consistently with each other.
   */
  loadState(): Promise<TradingState>;

  /** The engine state record of this key, or `undefined` (also for a malformed key). */
  getEngineState(key: string): Promise<EngineStateRecord | undefined>;

  /** The strategy with this id, or `undefined`. */
  getStrategy(strategyId: string): Promise<StrategyRecord | undefined>;

  /** Strategies matching `filter`, most recently created first (then by id). */
  listStrategies(filter?: StrategyFilter): Promise<StrategyRecord[]>;

  /** The order with this id (any case), or `undefined` (also for a malformed id). */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;

  /** Orders matching `filter`, most recently created first (then by id, descending). */
  listOrders(filter?: OrderFilter): Promise<OrderRecord[]>;

  /**
   * Trades matching `filter`: with `orderId`, oldest first (the fills of one order in order);
   * otherwise most recent first. Ties by trade id, in the same direction.
   */
  listTrades(filter?: TradeFilter): Promise<TradeRecord[]>;

  /** Positions matching `filter`, by strategy id, then instrument. */
  listPositions(filter?: PositionFilter): Promise<PositionRecord[]>;
}

/** A validated {@link StrategyFilter}. */
export interface ValidStrategyFilter {
  readonly statuses: readonly StrategyStatus[] | undefined;
  readonly type: StrategyType | undefined;
}

/** Checks a {@link StrategyFilter}; throws a `ValidationError` naming the bad field. */
export function checkStrategyFilter(filter: StrategyFilter = {}): ValidStrategyFilter {
  return {
    statuses:
      filter.statuses === undefined
        ? undefined
        : checkList("statuses", filter.statuses, (v, f) => checkEnum(f, v, STRATEGY_STATUSES)),
    type: filter.type === undefined ? undefined : checkEnum("type", filter.type, STRATEGY_TYPES),
  };
}

/** A validated {@link OrderFilter}: the limit resolved. */
export interface ValidOrderFilter {
  readonly statuses: readonly OrderStatus[] | undefined;
  readonly strategyId: string | undefined;
  readonly instrument: string | undefined;
  readonly limit: number;
}

/** Checks an {@link OrderFilter}; throws a `ValidationError` naming the bad field. */
export function checkOrderFilter(filter: OrderFilter = {}): ValidOrderFilter {
  return {
    statuses:
      filter.statuses === undefined
        ? undefined
        : checkList("statuses", filter.statuses, (v, f) => checkEnum(f, v, ORDER_STATUSES)),
    strategyId: optionalStrategyId(filter.strategyId),
    instrument: optionalInstrument(filter.instrument),
    limit: checkLimit(filter.limit),
  };
}

/** A validated {@link TradeFilter}: the order id in lower case, the limit resolved. */
export interface ValidTradeFilter {
  readonly orderId: string | undefined;
  readonly strategyId: string | undefined;
  readonly instrument: string | undefined;
  readonly limit: number;
}

/** Checks a {@link TradeFilter}; throws a `ValidationError` naming the bad field. */
export function checkTradeFilter(filter: TradeFilter = {}): ValidTradeFilter {
  return {
    orderId: filter.orderId === undefined ? undefined : checkUuid("orderId", filter.orderId),
    strategyId: optionalStrategyId(filter.strategyId),
    instrument: optionalInstrument(filter.instrument),
    limit: checkLimit(filter.limit),
  };
}

/** A validated {@link PositionFilter}. */
export interface ValidPositionFilter {
  readonly strategyId: string | undefined;
  readonly instrument: string | undefined;
}

/** Checks a {@link PositionFilter}; throws a `ValidationError` naming the bad field. */
export function checkPositionFilter(filter: PositionFilter = {}): ValidPositionFilter {
  return {
    strategyId: optionalStrategyId(filter.strategyId),
    instrument: optionalInstrument(filter.instrument),
  };
}

/** Checks a page size: an integer from 1 to {@link MAX_LIST_LIMIT}; absent means the default. */
export function checkLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIST_LIMIT;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_LIST_LIMIT
  ) {
    throw new ValidationError("limit", `must be an integer from 1 to ${MAX_LIST_LIMIT}`, value);
  }
  return value;
}

function optionalStrategyId(value: unknown): string | undefined {
  return value === undefined ? undefined : validateStrategyId(value);
}

function optionalInstrument(value: unknown): string | undefined {
  return value === undefined ? undefined : validateInstrument(value);
}

function checkList<T>(
  field: string,
  value: unknown,
  check: (item: unknown, field: string) => T,
): readonly T[] {
  if (!Array.isArray(value)) throw new ValidationError(field, "must be an array", value);
  return Object.freeze(value.map((item, i) => check(item, `${field}[${i}]`)));
}
