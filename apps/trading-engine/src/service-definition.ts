import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fromJson } from "@bufbuild/protobuf";
import { messageOf } from "@tse/error-text";
import { StartStrategyRequestSchema } from "@tse/proto/trading/v1/trading_pb";
import { checkRedis, createRedisConnection, type RedisConnection } from "@tse/redis-kit";
import {
  announcementOf,
  findInstance,
  RedisServiceRegistry,
  ServiceAnnouncer,
} from "@tse/service-discovery";
import {
  ConfigError,
  RepeatedFailureLog,
  type ServiceDefinition,
  startupErrorOf,
} from "@tse/service-kit";
import { createTradingDataAdapter, type EngineStateRecord } from "@tse/trading-data-adapter";
import { registerRiskV1 } from "./adapters/connect/risk-v1-service.js";
import { engineRpcAccess } from "./adapters/connect/rpc-access.js";
import { registerTradingV1, toDeskStartRequest } from "./adapters/connect/trading-v1-service.js";
import { tradingRestRoutes } from "./adapters/http/trading-rest-routes.js";
import { MarketDataFeedLog } from "./adapters/market-data/market-data-feed-log.js";
import { SimulatorCatalog, simulatorSymbols } from "./adapters/market-data/simulator-catalog.js";
import { SimulatorPriceFeed } from "./adapters/market-data/simulator-price-feed.js";
import { StoreTradingHistory } from "./adapters/persistence/store-trading-history.js";
import {
  fromOrderRecord,
  fromPositionRecord,
  fromRiskStateRecords,
  fromStrategyRecord,
} from "./adapters/persistence/trading-records.js";
import { webPageRoutes } from "./adapters/web/web-page-routes.js";
import { RiskDesk } from "./application/risk-desk.js";
import { TradingChangeSink } from "./application/trading-change-sink.js";
import {
  buildStrategy,
  type StartStrategyRequest,
  strategyOf,
  TradingDesk,
} from "./application/trading-desk.js";
import type { RiskState } from "./domain/engine/change-set.js";
import { resolveStrategyLimits } from "./domain/engine/strategy-lifecycle.js";
import { TradingEngine } from "./domain/engine/trading-engine.js";
import { PaperVenue } from "./domain/execution/paper-venue.js";
import { Portfolio } from "./domain/portfolio/portfolio.js";
import { RiskManager } from "./domain/risk/risk-manager.js";
import { engineSettings } from "./settings.js";

const packageJson = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/** Real time between order-expiry sweeps and gauge refreshes. */
const HOUSEKEEPING_INTERVAL_MS = 1_000;

/**
 * The trading-engine service: its identity defaults (docs/data-model.md#instance-identity), ports
 * (docs/protocols.md#ports) and composition root — the trading data adapter (Postgres or memory),
 * the state restored from it, the domain engine (risk, paper venue, portfolio) behind the desk, the
 * simulator's price feed (by URL or discovery), the Connect services and REST reads, readiness
 * (store, discovery, feed) and the shutdown order (stop the feed, end streams, deregister, flush,
 * close).
 */
export const serviceDefinition: ServiceDefinition<typeof engineSettings> = {
  serviceName: "trading-system-engine",
  version: packageJson.version,
  summary: "trading strategies against the simulator's live feed",
  ports: { http: 8083, grpc: 50053 },
  settings: engineSettings,
  async compose({ config, identity, logger, metrics, shutdownSignal }) {
    const bootRequests = parseBootStrategies(config.bootStrategies);
    const adapter = createTradingDataAdapter({
      identity,
      postgresUrl: config.postgresUrl,
      postgres: { maxConnections: config.maxConnections },
      metrics,
      log: (level, message, fields) => logger[level](fields, message),
      dependencyCheckTimeoutMs: config.dependencyCheckTimeoutMs,
    });
    const redisUrl = config.redisUrl;
    const redis =
      redisUrl === undefined
        ? undefined
        : createRedisConnection({
            url: redisUrl,
            namespace: identity,
            startupTimeoutMs: config.dependencyCheckTimeoutMs,
            onError: (error) => logger.warn({ error: error.message }, "redis connection error"),
          });
    // Every dependency answers before anything is migrated or written.
    await Promise.all([
      adapter.checkDependencies(shutdownSignal),
      redis === undefined || redisUrl === undefined
        ? undefined
        : checkRedis(redis, { url: redisUrl, signal: shutdownSignal }),
    ]).catch((error: unknown) => {
      throw startupErrorOf(error);
    });
    await adapter.connect(shutdownSignal);
    const registry =
      redis === undefined ? undefined : new RedisServiceRegistry({ connection: redis });
    const endpoint = async (): Promise<string> => {
      if (config.marketDataUrl !== undefined) return config.marketDataUrl;
      if (registry === undefined) return "http://localhost:50051";
      const chosen = await findInstance(
        registry,
        "market-data-simulator",
        config.marketDataInstance,
      );
      if (chosen === undefined) {
        throw new Error(
          `no market-data-simulator ${config.marketDataInstance ?? ""} registered in discovery`,
        );
      }
      return `http://${chosen.host}:${chosen.grpcPort}`;
    };

    // While the simulator is away, a line when a failure starts, a summary a minute, one on
    // recovery — not one per reconnection attempt or background load.
    const feedLog = new MarketDataFeedLog({
      log: (level, message, fields) => logger[level](fields, message),
    });
    // The simulator's symbols: the instruments a strategy may trade and their order grid.
    const catalog = new SimulatorCatalog(simulatorSymbols(endpoint, config.marketDataAuthToken), {
      onReloadError: (error) => feedLog.rulesLoadFailed(error),
      onLoaded: () => feedLog.rulesLoaded(),
    });
    const history = new StoreTradingHistory(adapter, (error) =>
      logger.error({ err: error }, "a change was refused by the store"),
    );
    // The engine's changes go to the store, the update streams and the metrics.
    const changes = new TradingChangeSink(
      {
        history,
        metrics,
        elapsedMs: () => performance.now(),
      },
      { maxStreams: config.maxStreams, maxStreamBacklog: 10_000 },
    );
    const portfolio = new Portfolio(config.initialCapital);
    const engine = new TradingEngine(
      {
        venue: new PaperVenue(
          {
            takerFeeBps: config.takerFeeBps,
            makerFeeBps: config.makerFeeBps,
            slippageBps: config.slippageBps,
          },
          randomUUID,
          catalog,
        ),
        risk: new RiskManager({
          maxPositionSize: config.maxPositionSize,
          instrumentMaxPositionSizes: {},
          maxTotalNotional: config.riskLimitThreshold,
          maxGrossLeverage: config.maxGrossLeverage,
          maxOrdersPerSecond: config.maxOrdersPerSecond,
          maxDrawdown: config.maxDrawdown,
        }),
        portfolio,
        instrumentRules: catalog,
        createStrategy: strategyOf,
        newId: randomUUID,
        ...changes.enginePorts(),
      },
      {
        orderTimeoutMs: config.orderTimeoutSeconds * 1_000,
        cooldownMs: config.strategyCooldownSeconds * 1_000,
        maxQuoteAgeMs: config.marketDataStaleMs,
        session: Date.now().toString(36),
      },
    );

    const stored = await adapter.store.loadState();
    engine.restore({
      strategies: stored.strategies.map(fromStrategyRecord),
      openOrders: await Promise.all(
        stored.openOrders.map(async (order) =>
          fromOrderRecord(order, await adapter.store.listTrades({ orderId: order.orderId })),
        ),
      ),
      positions: stored.positions.map(fromPositionRecord),
      ...restoredRisk(stored.engineState),
    });
    logger.info(
      {
        strategies: stored.strategies.length,
        openOrders: stored.openOrders.length,
        positions: stored.positions.length,
      },
      "trading state restored",
    );

    const tradingDesk = new TradingDesk({
      engine,
      changes,
      history,
      catalog,
      metrics,
      now: Date.now,
      newId: randomUUID,
      elapsedMs: () => performance.now(),
    });
    const riskDesk = new RiskDesk({ engine, catalog, now: Date.now });
    for (const request of bootRequests) {
      if (stored.strategies.some((s) => s.strategyId === request.id)) continue;
      await tradingDesk.startStrategy(request, { checkInstruments: false }).then(
        (strategy) => logger.info({ strategy: strategy.id }, "boot strategy started"),
        (error: unknown) =>
          logger.error({ err: error, strategy: request.id }, "boot strategy refused"),
      );
    }

    metrics.describe("trading_market_data_stale", "gauge", {
      help: "1 while the market data feed is stale or not connected.",
    });
    metrics.describe("trading_market_data_reconnects_total", "counter", {
      help: "Failed market data connections or broken streams.",
    });
    metrics.setGauge("trading_market_data_stale", 1);
    const feed = new SimulatorPriceFeed(
      {
        endpoint,
        instruments: [],
        authToken: config.marketDataAuthToken,
        staleAfterMs: config.marketDataStaleMs,
        backoff: { initialMs: 200, maxMs: 5_000 },
      },
      {
        onQuote: (quote) => {
          feedLog.quoteReceived();
          tradingDesk.onQuote(quote);
        },
        onState: (state, detail) => {
          logger.info({ state, detail }, "market data feed");
          metrics.setGauge("trading_market_data_stale", state === "live" ? 0 : 1);
          if (state === "stale") tradingDesk.setFeedStale(true);
          if (state === "live") {
            catalog.reload();
            tradingDesk.setFeedStale(false);
          }
        },
        onDisconnect: (error) => {
          metrics.incCounter("trading_market_data_reconnects_total");
          feedLog.streamFailed(error);
        },
      },
    );
    feed.start();
    const housekeeping = setInterval(() => {
      tradingDesk.expireOrders();
      tradingDesk.recordGauges();
    }, HOUSEKEEPING_INTERVAL_MS);
    housekeeping.unref();

    const announcer =
      registry === undefined
        ? undefined
        : new ServiceAnnouncer({
            registry,
            heartbeatIntervalMs: config.healthCheckIntervalSeconds * 1_000,
            // One line when heartbeats start failing, a summary a minute, one on recovery.
            heartbeats: new RepeatedFailureLog({
              what: "discovery heartbeat",
              log: (level, message, fields) => logger[level](fields, message),
            }),
          });

    return {
      routes: (router) => {
        registerTradingV1(router, tradingDesk);
        registerRiskV1(router, riskDesk);
      },
      rpcAccess: engineRpcAccess,
      rest: [...tradingRestRoutes({ trading: tradingDesk, risk: riskDesk }), ...webPageRoutes()],
      readiness: {
        ...adapter.readinessProbes(),
        redis:
          redis === undefined
            ? "disabled"
            : async (signal: AbortSignal) => {
                const health = await (redis as RedisConnection).health(signal);
                if (!health.ok) throw new Error(health.reason);
              },
        market_data: async () => {
          if (feed.state !== "live") {
            const since =
              feed.lastQuoteAt === 0
                ? "never received a quote"
                : `last quote ${new Date(feed.lastQuoteAt).toISOString()}`;
            throw new Error(`market data ${feed.state}: ${since}`);
          }
        },
      },
      async onListening(ports) {
        await announcer?.announce(announcementOf(identity, config.host, ports));
      },
      onShutdown: [
        async () => {
          clearInterval(housekeeping);
          await feed.stop();
          changes.orderUpdates.closeAll();
          changes.positionUpdates.closeAll();
        },
        async () => {
          await announcer?.withdraw();
          await redis?.close();
        },
        async (remainingMs) => {
          const { flushed, pending } = await adapter.close(Math.max(100, remainingMs - 500));
          if (!flushed) throw new Error(`${pending} trading changes not written`);
        },
      ],
    };
  },
};

/** The stored risk state as a restore field (none on a fresh schema: the settings apply). */
function restoredRisk(records: readonly EngineStateRecord[]): { risk?: RiskState } {
  const risk = fromRiskStateRecords(records);
  return risk === undefined ? {} : { risk };
}

/** `BOOT_STRATEGIES` as start requests; a ConfigError naming it when it is not valid. */
function parseBootStrategies(raw: string | undefined): StartStrategyRequest[] {
  if (raw === undefined || raw.trim() === "") return [];
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) throw new Error("must be a JSON array");
    return list.map((item, index) => {
      try {
        const request = toDeskStartRequest(fromJson(StartStrategyRequestSchema, item));
        if (request.id === undefined || request.id === "")
          throw new Error("strategyId is required");
        buildStrategy(request);
        resolveStrategyLimits(request.limits);
        return request;
      } catch (error) {
        throw new Error(`entry ${index}: ${messageOf(error)}`);
      }
    });
  } catch (error) {
    throw new ConfigError(
      "BOOT_STRATEGIES",
      `invalid configuration: BOOT_STRATEGIES (--boot-strategies) ${messageOf(error)}`,
    );
  }
}
