import { randomInt } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  HealthStatus,
  MarketDataService,
  PricePointSchema,
  type PriceUpdate,
  PriceUpdateSchema,
  SimulationType,
} from "@tse/proto/marketdata/market_data_pb";
import { abortableDelay } from "@tse/service-kit";
import type { SimulationService } from "../../application/generate-simulation.js";
import type { QuoteHub } from "../../application/market-streams.js";
import { hasRecoveryPhase, SCENARIO_TYPES } from "../../application/scenario-book.js";
import {
  previewOnLiveMarket,
  previewPointCount,
  withDailyFigures,
} from "../../application/scenario-previews.js";
import type { OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import type { ScenarioType } from "../../domain/scenarios/scenario.js";
import type { SimulationModel } from "../../domain/simulation/simulation-models.js";
import { MAX_TIMESTAMP_MS, requestTimestampMs } from "./request-timestamp.js";
import { runSimulation } from "./run-simulation.js";
import { invalidArgumentOnRangeError } from "./scenario-request.js";
import { subscribeOrRefuse } from "./subscribe-or-refuse.js";

/** The legacy contract's floor on `update_interval_ms`: faster requests are served at this pace. */
export const LEGACY_MIN_UPDATE_INTERVAL_MS = 100;

/** The largest `update_interval_ms` (the same bound as v1's `min_interval_ms`). */
export const LEGACY_MAX_UPDATE_INTERVAL_MS = 60_000;

const MODELS: Readonly<Record<SimulationType, SimulationModel>> = {
  [SimulationType.STATISTICAL_SIMILARITY]: "STATISTICAL_SIMILARITY",
  [SimulationType.MONTE_CARLO]: "MONTE_CARLO",
  [SimulationType.BROWNIAN_MOTION]: "BROWNIAN_MOTION",
  [SimulationType.MEAN_REVERSION]: "MEAN_REVERSION",
  [SimulationType.TREND_FOLLOWING]: "TREND_FOLLOWING",
};

/** The legacy `ScenarioType` values are the first six domain types, in order. */
const LEGACY_SCENARIO_TYPES: Readonly<Record<number, ScenarioType>> = Object.fromEntries(
  SCENARIO_TYPES.slice(0, 6).map((type, value) => [value, type]),
);

/** `parameters.data_points` when unset (0): the most recent 100 1m candles of the window. */
const LEGACY_DEFAULT_DATA_POINTS = 100;

/** `duration_minutes` when unset (0). */
const LEGACY_SCENARIO_DEFAULT_MINUTES = 5;

/** StreamScenario sends one point per simulated second, or fewer so there are at most this many. */
export const LEGACY_SCENARIO_MAX_POINTS = 10_000;

/** What the legacy service reads. */
export interface LegacyMarketDataDependencies {
  readonly simulator: MarketSimulator;
  /** The live quotes StreamPrices follows (shared with `marketdata.v1`, and its limits). */
  readonly hub: QuoteHub;
  /** Filled into every `source` field: the instance label. */
  readonly source: string;
  /** GenerateSimulation, shared with `marketdata.v1`. */
  readonly simulations: SimulationService;
  /** Service name, instance and version for HealthCheck details. */
  readonly details: Readonly<Record<string, string>>;
}

/**
 * The ecosystem's original `marketdata.MarketDataService`, wire-compatible, as a thin mapping
 * onto the same simulator as `marketdata.v1`: GetPrice (the last price), StreamPrices (each
 * symbol's current price, then a PriceUpdate of a symbol only when its price changed, at most
 * one per `update_interval_ms` (at least 100 ms), with real 24h `change_info`; a hub
 * subscription, so it counts against MAX_SUBSCRIBERS and ends at shutdown), GenerateSimulation
 * (1m candles of any past window — recorded or synthesized, see {@link SimulationService} —
 * against a simulated series of the requested model over the same periods, with computed
 * similarity metrics), StreamScenario (a private scenario path from the symbol's live state,
 * `source` "scenario", one point per simulated second — coarser past 10 000 points — as fast
 * as the client reads, ending with the scenario; refused when it would end after the last
 * instant a Timestamp can carry) and HealthCheck.
 */
export function registerLegacyMarketData(
  router: ConnectRouter,
  deps: LegacyMarketDataDependencies,
): void {
  const { simulator, hub, source } = deps;
  const quoteOf = (symbol: string): MarketQuote => {
    if (symbol === "") throw new ConnectError("symbol is required", Code.InvalidArgument);
    const quote = simulator.quote(symbol);
    if (quote === undefined)
      throw new ConnectError(`unknown symbol ${JSON.stringify(symbol)}`, Code.NotFound);
    return quote;
  };

  router.service(MarketDataService, {
    getPrice(request) {
      const quote = quoteOf(request.symbol);
      return {
        symbol: quote.symbol,
        price: quote.last,
        timestamp: timestampFromMs(quote.timestamp),
        source,
      };
    },

    async *streamPrices(request, context: HandlerContext) {
      const symbols = [
        ...new Set(
          request.symbols.length === 0 ? simulator.symbols.map((s) => s.symbol) : request.symbols,
        ),
      ];
      for (const symbol of symbols) quoteOf(symbol);
      if (
        request.updateIntervalMs < 0 ||
        request.updateIntervalMs > LEGACY_MAX_UPDATE_INTERVAL_MS
      ) {
        throw new ConnectError(
          `update_interval_ms must be in [0, ${LEGACY_MAX_UPDATE_INTERVAL_MS}] (got ${request.updateIntervalMs})`,
          Code.InvalidArgument,
        );
      }
      const intervalMs = Math.max(LEGACY_MIN_UPDATE_INTERVAL_MS, request.updateIntervalMs);
      const subscription = subscribeOrRefuse(hub, symbols);
      const onAbort = () => subscription.close();
      context.signal.addEventListener("abort", onAbort, { once: true });
      try {
        // The current price of every symbol, then a symbol's price only when it changed: the
        // hub conflates what arrives during a pause to the newest quote per symbol.
        const sent = new Map<string, number>();
        let changed = symbols.map(quoteOf);
        for (;;) {
          for (const quote of changed) {
            sent.set(quote.symbol, quote.last);
            yield toPriceUpdate(quote, source);
          }
          await abortableDelay(intervalMs, context.signal);
          const batch = await subscription.next();
          if (batch === undefined) return;
          changed = batch.filter((quote) => quote.last !== sent.get(quote.symbol));
        }
      } finally {
        context.signal.removeEventListener("abort", onAbort);
        subscription.close();
      }
    },

    async generateSimulation(request) {
      const model = MODELS[request.simulationType];
      if (model === undefined)
        throw new ConnectError(
          "simulation_type is not a known SimulationType",
          Code.InvalidArgument,
        );
      const p = request.parameters;
      const from = requestTimestampMs("start_time", request.startTime);
      const to = requestTimestampMs("end_time", request.endTime);
      const result = await runSimulation(deps.simulations, {
        symbol: quoteOf(request.symbol).symbol,
        model,
        interval: "1m",
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        dataPoints: p?.dataPoints || LEGACY_DEFAULT_DATA_POINTS,
        parameters: {
          volatilityFactor: p?.volatilityFactor || 1,
          trendFactor: p === undefined || p.trendFactor === 0 ? 1 : p.trendFactor,
          noiseLevel: p?.includeNoise === true ? p.noiseLevel : 0,
        },
      });
      const point = (c: OhlcCandle) =>
        create(PricePointSchema, {
          timestamp: timestampFromMs(c.start),
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
          volume: c.volume,
        });
      return {
        symbol: request.symbol,
        historicalData: result.historical.map(point),
        simulatedData: result.simulated.map(point),
        similarityMetrics: result.metrics,
        simulationId: result.id,
      };
    },

    async *streamScenario(request, context: HandlerContext) {
      const quote = quoteOf(request.symbol);
      const type = LEGACY_SCENARIO_TYPES[request.scenarioType];
      if (type === undefined) {
        throw new ConnectError("scenario_type is not a known ScenarioType", Code.InvalidArgument);
      }
      if (request.durationMinutes < 0) {
        throw new ConnectError("duration_minutes must not be negative", Code.InvalidArgument);
      }
      const p = request.parameters;
      for (const [field, value] of [
        ["parameters.intensity", p?.intensity ?? 0],
        ["parameters.duration_factor", p?.durationFactor ?? 0],
      ] as const) {
        if (!(value >= 0) || !Number.isFinite(value)) {
          throw new ConnectError(`${field} must be a finite number ≥ 0`, Code.InvalidArgument);
        }
      }
      const spec = {
        type,
        intensity: p?.intensity || 1,
        durationSeconds:
          (request.durationMinutes || LEGACY_SCENARIO_DEFAULT_MINUTES) *
          60 *
          (p?.durationFactor || 1),
        recoveryFactor: p?.recoveryFactor ?? 0,
        gradualTransition: p?.gradualTransition ?? false,
      };
      const startTime = requestTimestampMs("start_time", request.startTime) ?? simulator.now;
      const pathSeconds = spec.durationSeconds * (hasRecoveryPhase(spec) ? 2 : 1);
      const stepMs = Math.max(1_000, Math.ceil((pathSeconds * 1_000) / LEGACY_SCENARIO_MAX_POINTS));
      const points = invalidArgumentOnRangeError(() =>
        previewOnLiveMarket(simulator, {
          spec,
          symbol: quote.symbol,
          stepMs,
          seed: randomInt(2 ** 31),
          startTime,
        }),
      );
      const lastPointAt =
        startTime + (previewPointCount({ ...spec, symbols: [quote.symbol] }, stepMs) - 1) * stepMs;
      if (lastPointAt > MAX_TIMESTAMP_MS) {
        throw new ConnectError(
          "start_time plus the scenario's length must end by 9999-12-31T23:59:59Z, the last instant a Timestamp holds",
          Code.InvalidArgument,
        );
      }
      for (const { point, stats } of withDailyFigures(quote, startTime, points)) {
        if (context.signal.aborted) return;
        yield create(PriceUpdateSchema, {
          symbol: quote.symbol,
          price: point.price,
          volume: point.volume,
          timestamp: timestampFromMs(point.timestamp),
          source: "scenario",
          changeInfo: {
            changeAmount: stats?.change ?? 0,
            changePercentage: stats?.changePercent ?? 0,
            dailyHigh: stats?.high ?? point.price,
            dailyLow: stats?.low ?? point.price,
            dailyVolume: stats?.volume ?? 0,
          },
        });
      }
    },

    healthCheck() {
      return {
        status: HealthStatus.SERVING,
        message: "serving",
        timestamp: timestampFromMs(Date.now()),
        details: { ...deps.details, symbols: simulator.symbols.map((s) => s.symbol).join(",") },
      };
    },
  });
}

function toPriceUpdate(quote: MarketQuote, source: string): PriceUpdate {
  return create(PriceUpdateSchema, {
    symbol: quote.symbol,
    price: quote.last,
    volume: quote.volume24h,
    timestamp: timestampFromMs(quote.timestamp),
    source,
    changeInfo: {
      changeAmount: quote.change24h,
      changePercentage: quote.changePercent24h,
      dailyHigh: quote.high24h,
      dailyLow: quote.low24h,
      dailyVolume: quote.volume24h,
    },
  });
}
