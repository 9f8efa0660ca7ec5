import type { AdapterLog, AdapterProbe, DependencyHealth } from "@tse/dependency-check";
import { configuredUrl } from "@tse/dependency-check";
import { messageOf } from "@tse/error-text";
import type { ServiceIdentity } from "@tse/instance-naming";
import type { MetricsPort } from "@tse/metrics-port";
import {
  awaitStartupMigration,
  checkPostgres,
  createPostgresPool,
  type PostgresPoolOptions,
  postgresHealthCheck,
  postgresStoreHealth,
} from "@tse/postgres-kit";
import { MemoryTradingStore } from "./memory/memory-trading-store.js";
import { migrateTradingSchema, TRADING_COMPONENT } from "./postgres/migrate-trading-schema.js";
import { PostgresTradingStore } from "./postgres/postgres-trading-store.js";
import type { TradingStore } from "./repositories/trading-store.js";
import {
  type TradingFlushResult,
  TradingWrites,
  type TradingWritesOptions,
  type TradingWritesStatus,
} from "./write-behind/trading-writes.js";

/** Configuration of {@link createTradingDataAdapter}. */
export interface TradingDataAdapterConfig {
  /** Where this instance's data lives: its schema (a `ServiceIdentity` fits). */
  readonly identity: Pick<ServiceIdentity, "schema">;
  /** `POSTGRES_URL`; absent or blank means the in-memory store. */
  readonly postgresUrl?: string | undefined;
  /** Pool settings (`maxConnections` = `MAX_CONNECTIONS`, default 10). */
  readonly postgres?: PostgresPoolOptions;
  /** The component the migrations are recorded for (default `trading-system-engine`). */
  readonly component?: string;
  /** Retry tuning of the write-behind queue. */
  readonly writes?: TradingWritesOptions;
  /** Where the persistence metrics go. */
  readonly metrics: MetricsPort;
  /** Where outages are reported (default: nowhere). */
  readonly log?: AdapterLog;
  /** How long {@link TradingDataAdapter.checkDependencies} waits for Postgres, ms (default 10 000). */
  readonly dependencyCheckTimeoutMs?: number;
}

/** What {@link TradingDataAdapter.health} reports. */
export interface TradingDataAdapterHealth {
  /** Postgres (or memory) works and the write-behind queue's last commit succeeded. */
  readonly ok: boolean;
  readonly postgres: DependencyHealth;
  readonly writes: TradingWritesStatus;
}

/** What {@link TradingDataAdapter.close} achieved. */
export interface TradingDataAdapterCloseResult extends TradingFlushResult {
  /** Records left uncommitted (lost) when `flushed` is false; 0 otherwise. */
  readonly pending: number;
}

/**
 * The trading engine's persistence behind one life cycle.
 *
 * Contract:
 * - {@link store} and {@link writes} may be used after {@link connect} resolved (changes may be
 *   enqueued before; they are committed once connected), not after {@link close}.
 * - The engine's hot path writes through {@link writes}; reads (and a synchronous commit where
 *   it must know the outcome) go to {@link store}, which fails at once while Postgres is down.
 */
export interface TradingDataAdapter {
  readonly backend: "postgres" | "memory";
  readonly store: TradingStore;
  readonly writes: TradingWrites;

  /**
   * Checks that Postgres answers a query with these credentials (see `checkPostgres`: retried
   * while unreachable for up to `dependencyCheckTimeoutMs`, final at once when the server
   * refuses), writing nothing; rejects with a `DependencyCheckError` naming the server
   * (`host:port/database`, never the password) and the cause. Resolves at once in memory.
   */
  checkDependencies(signal?: AbortSignal): Promise<void>;

  /**
   * {@link checkDependencies} first; then migrates the instance schema (creating it when
   * missing, under the advisory lock, so two instances connecting together do not race) and
   * starts the write-behind writer. Rejects with a `MigrationError` when the role may not
   * create what it needs. `signal` aborted before or during the migration rejects with its
   * reason (a migration already running completes).
   */
  connect(signal?: AbortSignal): Promise<void>;

  /**
   * Checks Postgres for real (a query) and that the write-behind queue's last commit succeeded.
   * Never rejects; gives up when `signal` aborts.
   */
  health(signal?: AbortSignal): Promise<TradingDataAdapterHealth>;

  /** The check of {@link health} as a readiness probe; `"disabled"` in memory. */
  readinessProbes(): { readonly postgres: AdapterProbe };

  /**
   * Flushes the write-behind queue (waiting up to `timeoutMs`, default 5 000), then ends the
   * Postgres pool. Idempotent.
   */
  close(timeoutMs?: number): Promise<TradingDataAdapterCloseResult>;
}

const MEMORY: DependencyHealth = Object.freeze({ ok: true, detail: "memory" });

/**
 * Builds the adapter: the Postgres store in the identity's schema when `postgresUrl` is set,
 * the in-memory store otherwise, and the write-behind queue in front of it. Nothing connects
 * until {@link TradingDataAdapter.connect}.
 */
export function createTradingDataAdapter(config: TradingDataAdapterConfig): TradingDataAdapter {
  const { metrics } = config;
  const log: AdapterLog = config.log ?? (() => undefined);
  const { schema } = config.identity;
  const postgresUrl = configuredUrl(config.postgresUrl);
  const sql =
    postgresUrl === undefined
      ? undefined
      : createPostgresPool(postgresUrl, "tse-trading-data-adapter", config.postgres);
  const store: TradingStore =
    sql === undefined ? new MemoryTradingStore() : new PostgresTradingStore(sql, { schema });
  const writes = new TradingWrites(
    {
      store,
      metrics,
      onCommitError: (error, consecutiveFailures) =>
        log(consecutiveFailures === 1 ? "warn" : "error", "trading commit failed; will retry", {
          error: messageOf(error),
          consecutiveFailures,
          pending: writes.pending,
        }),
    },
    config.writes,
  );
  const postgresProbe = sql === undefined ? undefined : postgresHealthCheck(sql);
  let closed: Promise<TradingDataAdapterCloseResult> | undefined;

  async function postgresHealth(signal: AbortSignal): Promise<DependencyHealth> {
    if (postgresProbe === undefined) return MEMORY;
    return postgresStoreHealth(postgresProbe, signal, () => {
      const status = writes.status();
      return status.healthy
        ? undefined
        : `trading commits failing (${status.pending} changes queued): ${status.lastError ?? "unknown error"}`;
    });
  }

  async function checkDependencies(signal?: AbortSignal): Promise<void> {
    if (sql === undefined || postgresUrl === undefined) return;
    await checkPostgres(sql, {
      url: postgresUrl,
      signal,
      ...(config.dependencyCheckTimeoutMs === undefined
        ? {}
        : { timeoutMs: config.dependencyCheckTimeoutMs }),
    });
  }

  return {
    backend: sql === undefined ? "memory" : "postgres",
    store,
    writes,

    checkDependencies,

    async connect(signal) {
      signal?.throwIfAborted();
      await checkDependencies(signal);
      if (sql !== undefined && postgresUrl !== undefined) {
        await awaitStartupMigration(
          postgresUrl,
          migrateTradingSchema(sql, { schema, component: config.component ?? TRADING_COMPONENT }),
          signal,
        );
      }
      writes.start();
    },

    async health(signal = new AbortController().signal) {
      const result = await postgresHealth(signal);
      const status = writes.status();
      return { ok: result.ok && status.healthy, postgres: result, writes: status };
    },

    readinessProbes() {
      return {
        postgres:
          sql === undefined
            ? "disabled"
            : async (signal: AbortSignal) => {
                const result = await postgresHealth(signal);
                if (!result.ok) throw new Error(result.detail);
              },
      };
    },

    close(timeoutMs = 5_000) {
      closed ??= (async () => {
        const { flushed } = await writes.close(timeoutMs);
        const pending = flushed ? 0 : writes.pending;
        if (!flushed) log("error", "closing with uncommitted trading changes", { pending });
        // A short grace: postgres.js can keep a connection killed mid-write "ending" until
        // this timeout destroys it.
        await sql?.end({ timeout: 1 });
        return { flushed, pending };
      })();
      return closed;
    },
  };
}
