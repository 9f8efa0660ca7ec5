/**
 * @tse/market-data-adapter — market data persistence (DESIGN §6): symbols, price feeds, candles
 * and snapshots on Postgres (postgres.js) or in memory; cache, latest quotes, price streams and
 * service discovery on Redis (node-redis) or in memory; versioned migrations under an advisory
 * lock; a bounded write-behind buffer for the hot write paths.
 *
 * Most services need only {@link createMarketDataAdapter}; the implementations are exported
 * for services that compose their own.
 */

// Start-up checks of the dependencies.
export {
  type CheckPostgresOptions,
  checkPostgres,
  checkRedis,
  DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS,
  describeServer,
} from "./check-dependencies.js";
export { DependencyCheckError } from "./dependency-check-error.js";
export {
  type AdapterLog,
  type AdapterProbe,
  createMarketDataAdapter,
  type DependencyHealth,
  type MarketDataAdapter,
  type MarketDataAdapterCloseResult,
  type MarketDataAdapterConfig,
  type MarketDataAdapterHealth,
  type MarketDataBackends,
  type PostgresPoolOptions,
  type RedisClientOptions,
} from "./market-data-adapter.js";
// In-memory implementations.
export { MemoryCacheStore, type MemoryCacheStoreOptions } from "./memory/memory-cache-store.js";
export { MemoryCandleRepository } from "./memory/memory-candle-repository.js";
export { MemoryPriceFeedRepository } from "./memory/memory-price-feed-repository.js";
export { MemoryQuoteStore, type MemoryQuoteStoreOptions } from "./memory/memory-quote-store.js";
export {
  MemoryServiceRegistry,
  type MemoryServiceRegistryOptions,
} from "./memory/memory-service-registry.js";
export { MemorySnapshotRepository } from "./memory/memory-snapshot-repository.js";
export {
  MemorySymbolRepository,
  type MemorySymbolRepositoryOptions,
} from "./memory/memory-symbol-repository.js";
// Model: records, inputs and their validation.
export {
  CANDLE_INTERVAL_MS,
  CANDLE_INTERVALS,
  type Candle,
  type CandleInput,
  type CandleInterval,
  candleKey,
  isCandleInterval,
  validateCandle,
  validateCandleInterval,
} from "./model/candle.js";
export {
  type MarketSnapshot,
  type MarketSnapshotInput,
  validateMarketSnapshot,
} from "./model/market-snapshot.js";
export {
  type MarketSymbol,
  type MarketSymbolInput,
  SYMBOL_PATTERN,
  validateMarketSymbolInput,
  validateSymbol,
} from "./model/market-symbol.js";
export {
  DEFAULT_PRICE_FEED_SOURCE,
  type PriceFeed,
  type PriceFeedInput,
  validatePriceFeed,
} from "./model/price-feed.js";
export {
  parseQuoteJson,
  type Quote,
  QuoteValidationError,
  quoteFromFields,
  quoteToFields,
  serializeQuote,
  validateQuote,
} from "./model/quote.js";
export {
  parseServiceRegistration,
  type ServiceRegistration,
  ServiceRegistrationError,
  type ServiceRegistrationRecord,
  serializeServiceRegistration,
  validateServiceRegistration,
} from "./model/service-registration.js";
export {
  type JsonValue,
  type Metadata,
  roundDecimal,
  ValidationError,
} from "./model/validation-error.js";
export {
  type MigrateOptions,
  type MigrateResult,
  migrate,
  migrationHistoryTable,
  migrationLockKey,
} from "./postgres/migrate.js";
// Postgres implementations and migrations.
export { MigrationError } from "./postgres/migration-error.js";
export { MARKET_DATA_MIGRATIONS } from "./postgres/migrations/market-data-migrations.js";
export type { Migration } from "./postgres/migrations/migration.js";
export {
  PostgresCandleRepository,
  type PostgresCandleRepositoryOptions,
} from "./postgres/postgres-candle-repository.js";
export { postgresHealthCheck } from "./postgres/postgres-health.js";
export {
  PostgresPriceFeedRepository,
  type PostgresPriceFeedRepositoryOptions,
} from "./postgres/postgres-price-feed-repository.js";
export {
  PostgresSnapshotRepository,
  type PostgresSnapshotRepositoryOptions,
} from "./postgres/postgres-snapshot-repository.js";
export {
  PostgresSymbolRepository,
  type PostgresSymbolRepositoryOptions,
} from "./postgres/postgres-symbol-repository.js";
// Redis implementations.
export { deleteKeysMatching } from "./redis/delete-keys-matching.js";
export { RedisCacheStore, type RedisCacheStoreOptions } from "./redis/redis-cache-store.js";
export {
  createRedisConnection,
  type RedisClient,
  type RedisConnection,
  type RedisConnectionOptions,
  type RedisConnectionState,
  type RedisHealth,
} from "./redis/redis-connection.js";
export { RedisQuoteStore, type RedisQuoteStoreOptions } from "./redis/redis-quote-store.js";
export {
  RedisServiceRegistry,
  type RedisServiceRegistryOptions,
} from "./redis/redis-service-registry.js";
export { RedisUnavailableError } from "./redis/redis-unavailable-error.js";
export { scanKeys } from "./redis/scan-keys.js";
// Ports.
export type { CacheSetOptions, CacheStore } from "./repositories/cache-store.js";
export type { CandleQuery, CandleRepository } from "./repositories/candle-repository.js";
export type {
  PriceFeedQuery,
  PriceFeedRepository,
  SortOrder,
} from "./repositories/price-feed-repository.js";
export {
  DEFAULT_STREAM_MAX_LENGTH,
  MAX_STREAM_READ_COUNT,
  type QuoteStore,
  type ReadStreamOptions,
  type StreamEntry,
} from "./repositories/quote-store.js";
export type { ServiceRegistry } from "./repositories/service-registry.js";
export type { SnapshotQuery, SnapshotRepository } from "./repositories/snapshot-repository.js";
export type { SymbolQuery, SymbolRepository } from "./repositories/symbol-repository.js";

// Write-behind buffering.
export {
  type BufferedTable,
  BufferedWrites,
  type BufferedWritesOptions,
  DEFAULT_BUFFERED_WRITES,
  PERSISTENCE_METRICS,
} from "./write-behind/buffered-writes.js";
export {
  WriteBehindBuffer,
  type WriteBehindOptions,
  type WriteBehindStatus,
  type WriteLane,
} from "./write-behind/write-behind-buffer.js";
