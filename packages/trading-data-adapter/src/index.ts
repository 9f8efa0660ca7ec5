/**
 * @tse/trading-data-adapter — trading persistence (DESIGN §7): strategies, orders, trades,
 * positions and the engine's own restart state (engine state records: circuit breaker, risk
 * limits) on Postgres (postgres.js) or in memory, behind one `TradingStore` port; versioned
 * migrations under an advisory lock (history in `trading_system_engine_schema_migrations`); a
 * write-behind queue that merges, retries and never drops a change.
 *
 * Built on the same pattern as `@tse/market-data-adapter`, whose `migrate`, `ValidationError`,
 * `MigrationError` and probe types it uses (re-exported here where callers need them). Most
 * services need only {@link createTradingDataAdapter}.
 */

export { ValidationError } from "@tse/field-checks";
// Validation errors are the market-data adapter's class, so one `instanceof` covers both.
export { MigrationError } from "@tse/postgres-kit";
// In-memory implementation.
export { MemoryTradingStore } from "./memory/memory-trading-store.js";
// Model: records and their validation.
export {
  ConstraintViolationError,
  TRADING_CONSTRAINTS,
} from "./model/constraint-violation-error.js";
export {
  ENGINE_STATE_KEY_PATTERN,
  type EngineStateRecord,
  isEngineStateKey,
  MAX_ENGINE_STATE_BYTES,
  validateEngineState,
} from "./model/engine-state.js";
export {
  AMOUNT_LIMIT,
  AMOUNT_SCALE,
  type JsonObject,
  MAX_REASON_LENGTH,
} from "./model/field-checks.js";
export {
  isOpenOrderStatus,
  MAX_CLIENT_ORDER_ID_LENGTH,
  OPEN_ORDER_STATUSES,
  ORDER_EVENT_TIMES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderRecord,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  validateOrder,
} from "./model/order.js";
export { type PositionRecord, positionKey, validatePosition } from "./model/position.js";
export {
  MAX_STRATEGY_NAME_LENGTH,
  STRATEGY_ID_PATTERN,
  STRATEGY_STATUSES,
  STRATEGY_TYPES,
  type StrategyRecord,
  type StrategyStatus,
  type StrategyType,
  validateInstrument,
  validateStrategy,
  validateStrategyId,
} from "./model/strategy.js";
export {
  LIQUIDITIES,
  type Liquidity,
  TRADE_SIDES,
  type TradeRecord,
  type TradeSide,
  validateTrade,
} from "./model/trade.js";
export {
  CHANGE_KINDS,
  countChanges,
  type TradingChanges,
  type ValidTradingChanges,
  validateTradingChanges,
} from "./model/trading-changes.js";
// Postgres implementation and migrations.
export {
  type MigrateTradingSchemaOptions,
  migrateTradingSchema,
  TRADING_COMPONENT,
} from "./postgres/migrate-trading-schema.js";
export { TRADING_MIGRATIONS } from "./postgres/migrations/trading-migrations.js";
export {
  PostgresTradingStore,
  type PostgresTradingStoreOptions,
} from "./postgres/postgres-trading-store.js";
// The port.
export {
  checkLimit,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  type OrderFilter,
  type PositionFilter,
  type StrategyFilter,
  type TradeFilter,
  type TradingState,
  type TradingStore,
} from "./repositories/trading-store.js";
// The adapter.
export {
  createTradingDataAdapter,
  type TradingDataAdapter,
  type TradingDataAdapterCloseResult,
  type TradingDataAdapterConfig,
  type TradingDataAdapterHealth,
} from "./trading-data-adapter.js";
// Write-behind queue.
export {
  DEFAULT_TRADING_WRITES,
  type PendingOrder,
  TRADING_PERSISTENCE_METRICS,
  type TradingFlushResult,
  TradingWrites,
  type TradingWritesDependencies,
  type TradingWritesOptions,
  type TradingWritesStatus,
} from "./write-behind/trading-writes.js";
