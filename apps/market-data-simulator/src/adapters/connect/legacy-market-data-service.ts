import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  HealthStatus,
  MarketDataService,
  type PricePoint,
  PricePointSchema,
  type PriceUpdate,
  PriceUpdateSchema,
  SimulationType,
} from "@tse/proto/marketdata/market_data_pb";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import { SeededRandom, streamSeed } from "../../domain/random/seeded-random.js";
import { similarity } from "../../domain/simulation/similarity.js";
import {
  type SimulationModel,
  simulate,
  validateSimulationParameters,
} from "../../domain/simulation/simulation-models.js";
import { abortableDelay } from "./abortable-delay.js";

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
  /** `SIMULATION_SEED`, so a simulation request is reproducible. */
  readonly seed: number;
  /** Most points one simulation may return (`MAX_SIMULATION_POINTS`). */
  readonly maxSimulationPoints: number;
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
  let simulations = 0;
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
      const symbol = quoteOf(request.symbol).symbol;
      const model = MODELS[request.simulationType];
      if (model === undefined)
        throw new ConnectError(
          "simulation_type is not a known SimulationType",
          Code.InvalidArgument,
        );
      const p = request.parameters;
      let parameters: ReturnType<typeof validateSimulationParameters>;
      try {
        parameters = validateSimulationParameters(
          {
            volatilityFactor: p?.volatilityFactor || 1,
            trendFactor: p === undefined || p.trendFactor === 0 ? 1 : p.trendFactor,
            dataPoints: p?.dataPoints || 100,
            includeNoise: p?.includeNoise ?? false,
            noiseLevel: p?.noiseLevel ?? 0,
          },
          deps.maxSimulationPoints,
        );
      } catch (error) {
        throw new ConnectError((error as Error).message, Code.InvalidArgument);
      }
      const from =
        request.startTime === undefined ? undefined : timestampDate(request.startTime).getTime();
      const to =
        request.endTime === undefined ? undefined : timestampDate(request.endTime).getTime();
      const history =
        simulator.candles(symbol, "1m", {
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          limit: parameters.dataPoints,
        }) ?? [];
      if (history.length < 3) {
        throw new ConnectError(
          "fewer than three 1m candles of history in the requested range",
          Code.FailedPrecondition,
        );
      }
      simulations += 1;
      const id = `sim-${simulations}`;
      const closes = history.map((c) => c.close);
      const simulated = simulate(
        model,
        closes,
        parameters,
        new SeededRandom(streamSeed(deps.seed, `${symbol}:${id}`)),
      );
      const lastStart = history[history.length - 1]?.start ?? simulator.now;
      const metrics = similarity(
        closes,
        simulated.slice(0, Math.max(3, Math.min(simulated.length, closes.length))),
      );
      return {
        symbol,
        historicalData: history.map((c) =>
          create(PricePointSchema, {
            timestamp: timestampFromMs(c.start),
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume,
          }),
        ),
        simulatedData: toPricePoints(simulated, lastStart + 60_000),
        similarityMetrics: metrics,
        simulationId: id,
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

/** One-minute points from a close series: each opens at the previous close. */
function toPricePoints(closes: readonly number[], firstStart: number): PricePoint[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return create(PricePointSchema, {
      timestamp: timestampFromMs(firstStart + i * 60_000),
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 0,
    });
  });
}
