/**
 * @tse/trading-data-adapter — trading persistence: strategies, orders, trades, positions and
 * the engine's own restart state (circuit breaker, risk limits) on Postgres (postgres.js) or in
 * memory, behind one `TradingStore` port; the trading tables' migrations (history in
 * `trading_system_engine_schema_migrations`, run by `@tse/postgres-kit`); a write-behind queue
 * that merges, retries and never drops a change.
 *
 * Most services need only {@link createTradingDataAdapter} and the port and records below.
 * Refused records throw `@tse/field-checks`' `ValidationError`; a failed migration is
 * `@tse/postgres-kit`'s `MigrationError`.
 */

// Implementations, for services that compose their own store (tests use the in-memory one).
export { MemoryTradingStore } from "./memory/memory-trading-store.js";

// The port: what a service's code depends on, and the error its constraints raise.
export { ConstraintViolationError } from "./model/constraint-violation-error.js";
// Records, and the change set a commit writes in one transaction.
export type { EngineStateRecord } from "./model/engine-state.js";
export type { OrderRecord, OrderSide, OrderStatus, OrderType } from "./model/order.js";
export type { PositionRecord } from "./model/position.js";
export type { StrategyRecord, StrategyStatus, StrategyType } from "./model/strategy.js";
export type { Liquidity, TradeRecord, TradeSide } from "./model/trade.js";
export type { TradingChanges } from "./model/trading-changes.js";
export type {
  OrderFilter,
  PositionFilter,
  StrategyFilter,
  TradeFilter,
  TradingState,
  TradingStore,
} from "./repositories/trading-store.js";
// The adapter: the store on the configured backend, its queue and its migrations.
export {
  createTradingDataAdapter,
  type TradingDataAdapter,
  type TradingDataAdapterCloseResult,
  type TradingDataAdapterConfig,
  type TradingDataAdapterHealth,
} from "./trading-data-adapter.js";
// Write-behind queue, for services that tune it.
export type {
  TradingFlushResult,
  TradingWrites,
  TradingWritesOptions,
  TradingWritesStatus,
} from "./write-behind/trading-writes.js";
