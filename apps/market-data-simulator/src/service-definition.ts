import { readFileSync } from "node:fs";
import { createMarketDataAdapter } from "@tse/market-data-adapter";
import { announcementOf, ServiceAnnouncer } from "@tse/service-discovery";
import {
  ConfigError,
  type FailureLogSink,
  RepeatedFailureLog,
  type ServiceDefinition,
  startupErrorOf,
} from "@tse/service-kit";
import { loadSymbolUniverse } from "./adapters/config/simulator-config-file.js";
import { registerLegacyMarketData } from "./adapters/connect/legacy-market-data-service.js";
import { registerMarketDataV1 } from "./adapters/connect/market-data-v1-service.js";
import { simulatorRpcAccess } from "./adapters/connect/rpc-access.js";
import { marketRestRoutes } from "./adapters/http/market-rest-routes.js";
import { webPageRoutes } from "./adapters/web/web-page-routes.js";
import { ActiveSubscriptionsGauge } from "./application/active-subscriptions-gauge.js";
import { backfillHistory } from "./application/backfill-history.js";
import { CandleHistory, fromStoredCandle } from "./application/candle-history.js";
import { SimulationService } from "./application/generate-simulation.js";
import { HistoryRetention } from "./application/history-retention.js";
import { FEED_STEP_LIMITS, MarketFeed } from "./application/market-feed.js";
import { createCandleHub, createQuoteHub } from "./application/market-streams.js";
import { ScenarioBook } from "./application/scenario-book.js";
import { seedSymbols } from "./application/seed-symbols.js";
import { MarketSimulator } from "./domain/engine/market-simulator.js";
import { simulatorSettings } from "./settings.js";

const packageJson = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/**
 * Simulated time per backfill step: fine enough for 1m candles, coarse enough to start fast;
 * the live feed's longest step, so history looks the same whichever of the two made it.
 */
const BACKFILL_STEP_MS = FEED_STEP_LIMITS.maxStepMs;

/** Backfilled candles between two flushes: far below the write buffer's 100 000 rows. */
const BACKFILL_FLUSH_ROWS = 20_000;

/** Real time between price-feed retention sweeps. */
const RETENTION_SWEEP_INTERVAL_MS = 60_000;

/**
 * The market-data-simulator service: its identity defaults (docs/data-model.md#instance-identity),
 * its ports (docs/protocols.md#ports) and its composition root — the adapter from POSTGRES_URL /
 * REDIS_URL (memory otherwise), the simulator resumed from stored candles and backfilled, the live
 * feed, discovery registration, readiness, and the shutdown order (stop the feed, end streams,
 * deregister, flush, close).
 */
export const serviceDefinition: ServiceDefinition<typeof simulatorSettings> = {
  serviceName: "market-data-simulator",
  version: packageJson.version,
  summary: "realistic, reproducible synthetic market data",
  ports: { http: 8080, grpc: 50051 },
  settings: simulatorSettings,
  async compose({ config, identity, logger, metrics, shutdownSignal }) {
    const universe = loadSymbolUniverse(config.symbols, config.simulatorConfig);
    checkFeedPace(config.speed, config.tickIntervalMs);
    const adapter = createMarketDataAdapter({
      identity,
      postgresUrl: config.postgresUrl,
      redisUrl: config.redisUrl,
      postgres: { maxConnections: config.maxConnections },
      redis: { commandTimeoutMs: config.redisCommandTimeoutMs },
      dependencyCheckTimeoutMs: config.dependencyCheckTimeoutMs,
      metrics,
      log: (level, message, fields) => logger[level](fields, message),
    });
    // Checks Postgres and Redis before it migrates or writes anything.
    await adapter.connect(shutdownSignal).catch((error: unknown) => {
      throw startupErrorOf(error);
    });
    const retired = await seedSymbols(adapter.symbols, universe);
    if (retired.length > 0) logger.info({ retired }, "symbols no longer simulated marked inactive");

    const stored = (await adapter.candles.lastPersistedAll()).filter((candle) =>
      universe.symbols.some((s) => s.symbol === candle.symbol),
    );
    const now = Date.now();
    const backfillStart = now - config.backfillHours * 3_600_000;
    const resumeAt = Math.max(
      0,
      ...stored.filter((c) => c.interval === "1m").map((c) => c.startTime.getTime()),
    );
    // Resume only when the stored history reaches into the backfill window; else start afresh.
    const resumable = resumeAt > backfillStart ? stored : [];
    const startTime = Math.max(resumeAt, backfillStart);
    const simulator = new MarketSimulator({
      universe,
      seed: config.seed,
      startTime,
      startPrices: Object.fromEntries(
        resumable.filter((c) => c.interval === "1m").map((c) => [c.symbol, c.close]),
      ),
    });
    simulator.resumeCandles(resumable.map(fromStoredCandle));
    const log: FailureLogSink = (level, message, fields) => logger[level](fields, message);
    const backfilled = await backfillHistory(simulator, adapter.writes, {
      until: now,
      stepMs: BACKFILL_STEP_MS,
      flushEveryRows: BACKFILL_FLUSH_ROWS,
      onFlushError: (error) =>
        logger.warn({ err: error }, "backfill: candles not stored yet, will retry"),
      metrics,
      log,
    });
    logger[backfilled.failedSteps > 0 ? "warn" : "info"](
      {
        resumedFrom: resumable.length > 0 ? new Date(startTime).toISOString() : undefined,
        backfilled: backfilled.candles,
        ...(backfilled.failedSteps > 0 ? { failedSteps: backfilled.failedSteps } : {}),
      },
      "history ready",
    );

    metrics.describe("market_data_subscriber_updates_dropped_total", "counter", {
      help: "Price updates a slow subscriber did not receive because a newer one replaced them.",
    });
    const subscriptionsGauge = new ActiveSubscriptionsGauge(
      metrics,
      universe.symbols.map((s) => s.symbol),
    );
    const hubOptions = {
      onConflated: (count: number) =>
        metrics.incCounter("market_data_subscriber_updates_dropped_total", {}, count),
      onSubscriptionsChanged: () => subscriptionsGauge.update(),
    };
    const hubLimits = {
      maxSubscribers: config.maxSubscribers,
      maxSymbolsPerSubscription: config.maxSymbolsPerStream,
    };
    const hub = createQuoteHub(hubLimits, hubOptions);
    const candleHub = createCandleHub(hubLimits, hubOptions);
    subscriptionsGauge.watch(hub, candleHub);
    const feed = new MarketFeed(
      {
        simulator,
        hub,
        candleHub,
        metrics,
        history: adapter.writes,
        quotes: adapter.quotes,
        now: Date.now,
        log,
      },
      {
        tickIntervalMs: config.tickIntervalMs,
        speed: config.speed,
        priceFeedPersistIntervalMs: config.priceFeedPersistIntervalMs,
        snapshotIntervalMs: config.snapshotIntervalMs,
      },
    );
    // The backfill ran up to `now`: the first tick covers the time start-up took since.
    feed.start(now);
    const retention =
      config.priceFeedRetentionHours === 0
        ? undefined
        : new HistoryRetention(
            {
              history: adapter.priceFeeds,
              simulatedNow: () => simulator.now,
              onDeleted: (count, cutoff) =>
                logger.info({ count, cutoff }, "expired price feeds deleted"),
              onError: (error) => logger.warn({ err: error }, "price-feed retention failed"),
            },
            {
              retentionMs: config.priceFeedRetentionHours * 3_600_000,
              sweepIntervalMs: RETENTION_SWEEP_INTERVAL_MS,
            },
          );
    retention?.start();

    const history = new CandleHistory(
      simulator,
      config.postgresUrl === undefined ? undefined : adapter.candles,
    );
    const simulations = new SimulationService(
      simulator,
      history,
      config.seed,
      config.maxSimulationPoints,
    );

    const scenarios = new ScenarioBook(simulator, { maxActive: config.maxActiveScenarios });

    const instance = identity.constantLabels.instance;
    const announcer = new ServiceAnnouncer({
      registry: adapter.registry,
      heartbeatIntervalMs: config.healthCheckIntervalSeconds * 1_000,
      heartbeats: new RepeatedFailureLog({ what: "discovery heartbeat", log }),
    });

    return {
      routes: (router) => {
        registerMarketDataV1(router, {
          simulator,
          hub,
          candleHub,
          simulations,
          history,
          scenarios,
        });
        registerLegacyMarketData(router, {
          simulator,
          hub,
          simulations,
          source: instance,
          details: { service: identity.serviceName, instance, version: identity.version },
        });
      },
      rpcAccess: simulatorRpcAccess,
      rest: [...marketRestRoutes({ simulator, hub, history }), ...webPageRoutes()],
      readiness: adapter.readinessProbes(),
      async onListening(ports) {
        await announcer.announce(announcementOf(identity, config.host, ports));
      },
      onShutdown: [
        async () => {
          await Promise.all([feed.stop(), retention?.stop()]);
          hub.closeAll();
          candleHub.closeAll();
        },
        async () => {
          await announcer.withdraw();
        },
        async (remainingMs) => {
          const { flushed, unwritten } = await adapter.close(Math.max(100, remainingMs - 500));
          if (!flushed) throw new Error(`history not fully written: ${JSON.stringify(unwritten)}`);
        },
      ],
    };
  },
};

/**
 * Refuses a `SIMULATION_SPEED` whose ticks (`TICK_INTERVAL_MS` of real time each) would need more
 * work than one tick may do (`FEED_STEP_LIMITS`): the live clock would fall behind for good.
 */
function checkFeedPace(speed: number, tickIntervalMs: number): void {
  const perTick = speed * tickIntervalMs;
  if (perTick <= FEED_STEP_LIMITS.maxSimulatedMsPerTick) return;
  throw new ConfigError(
    "SIMULATION_SPEED",
    `invalid configuration: SIMULATION_SPEED × TICK_INTERVAL_MS must be at most ${FEED_STEP_LIMITS.maxSimulatedMsPerTick} (${FEED_STEP_LIMITS.maxStepsPerTick} steps of ${FEED_STEP_LIMITS.maxStepMs} simulated ms per tick); got ${speed} × ${tickIntervalMs} = ${perTick}`,
  );
}
