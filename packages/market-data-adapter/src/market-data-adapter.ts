import type { AdapterLog, AdapterProbe, DependencyHealth } from "@tse/dependency-check";
import { configuredUrl, DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS } from "@tse/dependency-check";
import { messageOf } from "@tse/error-text";
import type { NamespaceSource } from "@tse/instance-naming";
import { type MetricsPort, NoopMetrics } from "@tse/metrics-port";
import {
  awaitStartupMigration,
  checkPostgres,
  createPostgresPool,
  type PostgresPoolOptions,
  postgresHealthCheck,
  postgresStoreHealth,
} from "@tse/postgres-kit";
import { checkRedis, createRedisConnection, type RedisConnectionOptions } from "@tse/redis-kit";
import type { ServiceRegistry } from "@tse/service-discovery";
import { MemoryServiceRegistry, RedisServiceRegistry } from "@tse/service-discovery";
import { MemoryCacheStore } from "./memory/memory-cache-store.js";
import { MemoryCandleRepository } from "./memory/memory-candle-repository.js";
import { MemoryPriceFeedRepository } from "./memory/memory-price-feed-repository.js";
import { MemoryQuoteStore } from "./memory/memory-quote-store.js";
import { MemorySnapshotRepository } from "./memory/memory-snapshot-repository.js";
import { MemorySymbolRepository } from "./memory/memory-symbol-repository.js";
import { migrateMarketDataSchema } from "./postgres/migrate-market-data-schema.js";
import { PostgresCandleRepository } from "./postgres/postgres-candle-repository.js";
import { PostgresPriceFeedRepository } from "./postgres/postgres-price-feed-repository.js";
import { PostgresSnapshotRepository } from "./postgres/postgres-snapshot-repository.js";
import { PostgresSymbolRepository } from "./postgres/postgres-symbol-repository.js";
import { RedisCacheStore } from "./redis/redis-cache-store.js";
import { RedisQuoteStore } from "./redis/redis-quote-store.js";
import type { CacheStore } from "./repositories/cache-store.js";
import type { CandleRepository } from "./repositories/candle-repository.js";
import type { PriceFeedRepository } from "./repositories/price-feed-repository.js";
import type { QuoteStore } from "./repositories/quote-store.js";
import type { SnapshotRepository } from "./repositories/snapshot-repository.js";
import type { SymbolRepository } from "./repositories/symbol-repository.js";
import { BufferedWrites, type BufferedWritesOptions } from "./write-behind/buffered-writes.js";
import type { WriteBehindStatus } from "./write-behind/write-behind-buffer.js";

/** Redis client settings (see {@link RedisConnectionOptions}); every field has a default. */
export type RedisClientOptions = Pick<
  RedisConnectionOptions,
  "commandTimeoutMs" | "connectTimeoutMs" | "startupTimeoutMs" | "reconnect"
>;

/** Configuration of {@link createMarketDataAdapter}. */
export interface MarketDataAdapterConfig {
  /** Where this instance's data lives: its schema and Redis namespace (from instance-naming). */
  readonly identity: { readonly schema: string; readonly redisNamespace: string };
  /** `POSTGRES_URL`; absent or empty means the in-memory repositories. */
  readonly postgresUrl?: string | undefined;
  /** `REDIS_URL`; absent or empty means the in-memory cache, quotes and registry. */
  readonly redisUrl?: string | undefined;
  /** The component the migrations are recorded for (default `market-data-simulator`). */
  readonly component?: string;
  readonly postgres?: PostgresPoolOptions;
  readonly redis?: RedisClientOptions;
  readonly writes?: BufferedWritesOptions;
  /** Approximate cap of each per-symbol price stream (default 10 000). */
  readonly priceStreamMaxLength?: number;
  /** Where the persistence metrics go (default: nowhere). */
  readonly metrics?: MetricsPort;
  /** Where outages and drops are reported (default: nowhere). */
  readonly log?: AdapterLog;
  /**
   * How long {@link MarketDataAdapter.connect} waits for Postgres and for Redis (unless
   * `redis.startupTimeoutMs` says otherwise), ms (default 10 000).
   */
  readonly dependencyCheckTimeoutMs?: number;
}

/** Which implementation backs each half of the adapter. */
export interface MarketDataBackends {
  readonly database: "postgres" | "memory";
  readonly keyValue: "redis" | "memory";
}

/** What {@link MarketDataAdapter.health} reports. */
export interface MarketDataAdapterHealth {
  /** Both dependencies ok. */
  readonly ok: boolean;
  readonly postgres: DependencyHealth;
  readonly redis: DependencyHealth;
  /** The write-behind buffer: rows buffered, written and dropped per table. */
  readonly writes: WriteBehindStatus;
}

/** What {@link MarketDataAdapter.close} achieved. */
export interface MarketDataAdapterCloseResult {
  /** Every buffered row was written before the deadline. */
  readonly flushed: boolean;
  /** Rows still buffered (lost) per table when `flushed` is false. */
  readonly unwritten: Readonly<Record<string, number>>;
}

/**
 * Every store the market data simulator persists to, behind one life cycle.
 *
 * Contract:
 * - The repositories may be used only after {@link connect} resolved, and not after
 *   {@link close}.
 * - Hot-path writes go through {@link writes} (buffered, see `BufferedWrites`); the
 *   repositories also accept direct writes, which fail at once while Postgres is down.
 */
export interface MarketDataAdapter {
  readonly backends: MarketDataBackends;
  readonly symbols: SymbolRepository;
  readonly priceFeeds: PriceFeedRepository;
  readonly candles: CandleRepository;
  readonly snapshots: SnapshotRepository;
  readonly cache: CacheStore;
  readonly quotes: QuoteStore;
  readonly registry: ServiceRegistry;
  readonly writes: BufferedWrites;

  /**
   * Opens the stores. First checks every configured dependency — Postgres answers a query,
   * Redis accepts the connection and its credentials — within `dependencyCheckTimeoutMs`, and
   * rejects with a `DependencyCheckError` naming the server and the cause (never the password)
   * before anything is written. Then migrates the instance schema (under the advisory lock;
   * creating the schema when missing), rejecting with a `MigrationError` when the role may not
   * create what it needs, and starts the write-behind loop.
   */
  connect(signal?: AbortSignal): Promise<void>;

  /**
   * Checks both dependencies for real: Postgres runs a query and must have no failing buffered
   * writes; Redis answers an `EXISTS` under the namespace (allowed by the ecosystem ACL, unlike
   * `PING`). Never rejects; gives up when `signal` aborts.
   */
  health(signal?: AbortSignal): Promise<MarketDataAdapterHealth>;

  /** The two checks of {@link health} as readiness probes. */
  readinessProbes(): { readonly postgres: AdapterProbe; readonly redis: AdapterProbe };

  /**
   * Flushes the write-behind buffer (retrying until `deadlineMs` has passed; default 5 000),
   * then closes Redis and the Postgres pool. Idempotent.
   */
  close(deadlineMs?: number): Promise<MarketDataAdapterCloseResult>;
}

const MEMORY: DependencyHealth = Object.freeze({ ok: true, detail: "memory" });

/**
 * Builds the adapter: Postgres repositories when `postgresUrl` is set (else in memory), Redis
 * stores when `redisUrl` is set (else in memory), all in the identity's schema and namespace.
 * Nothing connects until {@link MarketDataAdapter.connect}.
 */
export function createMarketDataAdapter(config: MarketDataAdapterConfig): MarketDataAdapter {
  const metrics = config.metrics ?? new NoopMetrics();
  const log: AdapterLog = config.log ?? (() => undefined);
  const { schema, redisNamespace } = config.identity;
  const namespace: NamespaceSource = redisNamespace;
  const postgresUrl = configuredUrl(config.postgresUrl);
  const redisUrl = configuredUrl(config.redisUrl);

  const sql =
    postgresUrl === undefined
      ? undefined
      : createPostgresPool(postgresUrl, "tse-market-data-adapter", config.postgres);
  const database =
    sql === undefined
      ? {
          symbols: new MemorySymbolRepository(),
          priceFeeds: new MemoryPriceFeedRepository(),
          candles: new MemoryCandleRepository(),
          snapshots: new MemorySnapshotRepository(),
        }
      : {
          symbols: new PostgresSymbolRepository(sql, { schema }),
          priceFeeds: new PostgresPriceFeedRepository(sql, { schema }),
          candles: new PostgresCandleRepository(sql, { schema }),
          snapshots: new PostgresSnapshotRepository(sql, { schema }),
        };

  const connection =
    redisUrl === undefined
      ? undefined
      : createRedisConnection({
          startupTimeoutMs: config.dependencyCheckTimeoutMs ?? DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS,
          ...config.redis,
          url: redisUrl,
          namespace,
          onError: (error) => log("warn", "redis connection error", { error: error.message }),
          onStateChange: (state) => log("info", "redis connection state", { state }),
        });
  const streamCap =
    config.priceStreamMaxLength === undefined ? {} : { maxLength: config.priceStreamMaxLength };
  const keyValue =
    connection === undefined
      ? {
          cache: new MemoryCacheStore(),
          quotes: new MemoryQuoteStore(streamCap),
          registry: new MemoryServiceRegistry(),
        }
      : {
          cache: new RedisCacheStore({ connection, namespace }),
          quotes: new RedisQuoteStore({ connection, namespace, ...streamCap }),
          registry: new RedisServiceRegistry({
            connection,
            onInvalidEntry: (key, reason) => log("warn", "skipped registry entry", { key, reason }),
          }),
        };

  const writes = new BufferedWrites(
    {
      ...database,
      metrics,
      onWriteError: (table, error) =>
        log("warn", "buffered write failed; will retry", { table, error: messageOf(error) }),
      onDrop: (table, count) =>
        log("error", "write-behind buffer full: rows dropped", { table, count }),
    },
    config.writes,
  );

  const postgresProbe = sql === undefined ? undefined : postgresHealthCheck(sql);
  let closed: Promise<MarketDataAdapterCloseResult> | undefined;

  async function postgresHealth(signal: AbortSignal): Promise<DependencyHealth> {
    if (postgresProbe === undefined) return MEMORY;
    return postgresStoreHealth(postgresProbe, signal, () => {
      const status = writes.status();
      if (status.healthy) return undefined;
      const buffered = Object.values(status.buffered).reduce((sum, rows) => sum + rows, 0);
      return `buffered writes failing (${buffered} rows queued): ${status.lastError ?? "unknown error"}`;
    });
  }

  async function redisHealth(signal: AbortSignal): Promise<DependencyHealth> {
    if (connection === undefined) return MEMORY;
    const result = await connection.health(signal);
    return result.ok ? { ok: true, detail: "ok" } : { ok: false, detail: result.reason };
  }

  function probe(check: (signal: AbortSignal) => Promise<DependencyHealth>) {
    return async (signal: AbortSignal) => {
      const result = await check(signal);
      if (!result.ok) throw new Error(result.detail);
    };
  }

  return {
    backends: {
      database: sql === undefined ? "memory" : "postgres",
      keyValue: connection === undefined ? "memory" : "redis",
    },
    ...database,
    ...keyValue,
    writes,

    async connect(signal) {
      await Promise.all([
        sql === undefined || postgresUrl === undefined
          ? undefined
          : checkPostgres(sql, {
              url: postgresUrl,
              signal,
              ...(config.dependencyCheckTimeoutMs === undefined
                ? {}
                : { timeoutMs: config.dependencyCheckTimeoutMs }),
            }),
        connection === undefined || redisUrl === undefined
          ? undefined
          : checkRedis(connection, { url: redisUrl, signal }),
      ]);
      if (sql !== undefined && postgresUrl !== undefined) {
        await awaitStartupMigration(
          postgresUrl,
          migrateMarketDataSchema(sql, {
            schema,
            component: config.component ?? "market-data-simulator",
          }),
        );
      }
      writes.start();
    },

    async health(signal = new AbortController().signal) {
      const [postgresResult, redisResult] = await Promise.all([
        postgresHealth(signal),
        redisHealth(signal),
      ]);
      return {
        ok: postgresResult.ok && redisResult.ok,
        postgres: postgresResult,
        redis: redisResult,
        writes: writes.status(),
      };
    },

    readinessProbes() {
      return {
        postgres: sql === undefined ? "disabled" : probe(postgresHealth),
        redis: connection === undefined ? "disabled" : probe(redisHealth),
      };
    },

    close(deadlineMs = 5_000) {
      closed ??= (async () => {
        const flushed = await writes.close(deadlineMs);
        const unwritten = flushed ? {} : writes.status().buffered;
        if (!flushed) log("error", "closing with unwritten rows", { unwritten });
        await connection?.close();
        // Nothing of ours is in flight after the flush. A short grace: postgres.js can keep a
        // connection that was killed mid-write "ending" until this timeout destroys it.
        await sql?.end({ timeout: 1 });
        return { flushed, unwritten };
      })();
      return closed;
    },
  };
}
