import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  HealthStatus,
  MarketDataService,
  PricePointSchema,
  type PriceUpdate,
  PriceUpdateSchema,
  SimulationType,
} from "@tse/proto/marketdata/market_data_pb";
import type { SimulationService } from "../../application/generate-simulation.js";
import type { OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import type { SimulationModel } from "../../domain/simulation/simulation-models.js";
import { abortableDelay } from "./abortable-delay.js";
import { runSimulation } from "./run-simulation.js";

/** The legacy contract's floor on `update_interval_ms`: faster requests are served at this pace. */
export const LEGACY_MIN_UPDATE_INTERVAL_MS = 100;

const MODELS: Readonly<Record<SimulationType, SimulationModel>> = {
  [SimulationType.STATISTICAL_SIMILARITY]: "STATISTICAL_SIMILARITY",
  [SimulationType.MONTE_CARLO]: "MONTE_CARLO",
  [SimulationType.BROWNIAN_MOTION]: "BROWNIAN_MOTION",
  [SimulationType.MEAN_REVERSION]: "MEAN_REVERSION",
  [SimulationType.TREND_FOLLOWING]: "TREND_FOLLOWING",
};

/** What the legacy service reads. */
export interface LegacyMarketDataDependencies {
  readonly simulator: MarketSimulator;
  /** Filled into every `source` field: the instance label. */
  readonly source: string;
  /** GenerateSimulation, shared with `marketdata.v1`. */
  readonly simulations: SimulationService;
  /** Service name, instance and version for HealthCheck details. */
  readonly details: Readonly<Record<string, string>>;
}

/**
 * The ecosystem's original `marketdata.MarketDataService`, wire-compatible, as a thin mapping
 * onto the same simulator as `marketdata.v1`: GetPrice (the last price), StreamPrices (one
 * PriceUpdate per symbol every `update_interval_ms`, at least 100 ms, with real 24h
 * `change_info`), GenerateSimulation (historical 1m candles against a simulated series of the
 * requested model, with computed similarity metrics) and HealthCheck. StreamScenario answers
 * `Unimplemented` for now.
 */
export function registerLegacyMarketData(
  router: ConnectRouter,
  deps: LegacyMarketDataDependencies,
): void {
  const { simulator, source } = deps;
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
      const symbols =
        request.symbols.length === 0 ? simulator.symbols.map((s) => s.symbol) : request.symbols;
      for (const symbol of symbols) quoteOf(symbol);
      const intervalMs = Math.max(LEGACY_MIN_UPDATE_INTERVAL_MS, request.updateIntervalMs);
      while (!context.signal.aborted) {
        for (const symbol of symbols) yield toPriceUpdate(quoteOf(symbol), source);
        await abortableDelay(intervalMs, context.signal);
      }
    },

    generateSimulation(request) {
      const model = MODELS[request.simulationType];
      if (model === undefined)
        throw new ConnectError(
          "simulation_type is not a known SimulationType",
          Code.InvalidArgument,
        );
      const p = request.parameters;
      const result = runSimulation(deps.simulations, {
        symbol: quoteOf(request.symbol).symbol,
        model,
        interval: "1m",
        ...(request.startTime === undefined
          ? {}
          : { from: timestampDate(request.startTime).getTime() }),
        ...(request.endTime === undefined ? {} : { to: timestampDate(request.endTime).getTime() }),
        parameters: {
          volatilityFactor: p?.volatilityFactor || 1,
          trendFactor: p === undefined || p.trendFactor === 0 ? 1 : p.trendFactor,
          dataPoints: p?.dataPoints || 100,
          includeNoise: p?.includeNoise ?? false,
          noiseLevel: p?.noiseLevel ?? 0,
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
