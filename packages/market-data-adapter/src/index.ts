/**
 * @tse/market-data-adapter — market data persistence: symbols, price feeds, candles and
 * snapshots on Postgres (postgres.js) or in memory; cache, latest quotes and price streams on
 * Redis (node-redis) or in memory; the market-data migrations; a bounded write-behind buffer for
 * the hot write paths. The Postgres and Redis plumbing is `@tse/postgres-kit` /
 * `@tse/redis-kit`'s, field checks are `@tse/field-checks`', service discovery is
 * `@tse/service-discovery`'s.
 *
 * Most services need only {@link createMarketDataAdapter} and the ports and records below.
 */

// The adapter: one call composes every store on the configured backends.
export type { AdapterLog, AdapterProbe, DependencyHealth } from "@tse/dependency-check";
export {
  createMarketDataAdapter,
  type MarketDataAdapter,
  type MarketDataAdapterCloseResult,
  type MarketDataAdapterConfig,
  type MarketDataAdapterHealth,
  type MarketDataBackends,
  type RedisClientOptions,
} from "./market-data-adapter.js";
// Implementations, for services that compose their own stores.
export { MemoryCandleRepository } from "./memory/memory-candle-repository.js";
export { MemoryPriceFeedRepository } from "./memory/memory-price-feed-repository.js";
export {
  MemorySymbolRepository,
  type MemorySymbolRepositoryOptions,
} from "./memory/memory-symbol-repository.js";
// Records and their inputs; the symbol rule other records reuse.
export type { Candle, CandleInput } from "./model/candle.js";
export type { CandleInterval } from "./model/candle-interval.js";
export type { MarketSnapshot, MarketSnapshotInput } from "./model/market-snapshot.js";
export {
  type MarketSymbol,
  type MarketSymbolInput,
  validateSymbol,
} from "./model/market-symbol.js";
export type { PriceFeed, PriceFeedInput } from "./model/price-feed.js";
export type { Quote } from "./model/quote.js";
// The market-data tables' migrations, for tools that prepare a schema ahead of the service.
export {
  type MigrateMarketDataSchemaOptions,
  migrateMarketDataSchema,
} from "./postgres/migrate-market-data-schema.js";
export { RedisQuoteStore, type RedisQuoteStoreOptions } from "./redis/redis-quote-store.js";
// Ports: what a service's code depends on.
export type { CacheSetOptions, CacheStore } from "./repositories/cache-store.js";
export type { CandleQuery, CandleRepository } from "./repositories/candle-repository.js";
export type {
  PriceFeedQuery,
  PriceFeedRepository,
  SortOrder,
} from "./repositories/price-feed-repository.js";
export type { QuoteStore, ReadStreamOptions, StreamEntry } from "./repositories/quote-store.js";
export type { SnapshotQuery, SnapshotRepository } from "./repositories/snapshot-repository.js";
export type { SymbolQuery, SymbolRepository } from "./repositories/symbol-repository.js";
// Write-behind: the buffer in front of the hot write paths, for services that tune it.
export {
  type BufferedWrites,
  type BufferedWritesOptions,
  DEFAULT_BUFFERED_WRITES,
} from "./write-behind/buffered-writes.js";
export type { WriteBehindStatus } from "./write-behind/write-behind-buffer.js";
