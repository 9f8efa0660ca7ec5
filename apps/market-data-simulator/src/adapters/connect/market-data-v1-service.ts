import { Code, ConnectError, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import {
  HistoricalSource,
  Interval,
  MarketDataService,
  SimulationModel as V1SimulationModel,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { type CandleHistory, candleRange } from "../../application/candle-history.js";
import type { SimulationService } from "../../application/generate-simulation.js";
import type { CandleHub, QuoteHub } from "../../application/market-streams.js";
import { READ_LIMITS } from "../../application/read-limits.js";
import { type ScenarioBook, ScenarioLimitError } from "../../application/scenario-book.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import {
  INTERVAL_ENUMS,
  INTERVAL_NAMES,
  toCandleMessage,
  toOrderBookMessage,
  toQuoteMessage,
  toScenarioMessage,
  toSnapshotMessage,
  toSymbolMessage,
  toTradeMessage,
  V1_MODELS,
} from "./market-data-v1-messages.js";
import { bounded, symbolCheck } from "./market-data-v1-requests.js";
import { marketDataV1Streams } from "./market-data-v1-streams.js";
import { requestTimestampMs } from "./request-timestamp.js";
import { runSimulation, unavailableOnHistoryError } from "./run-simulation.js";
import { invalidArgumentOnRangeError, scenarioSpecOf, scenarioTypeOf } from "./scenario-request.js";

/** What the service reads and drives. */
export interface MarketDataV1Dependencies {
  readonly simulator: MarketSimulator;
  readonly hub: QuoteHub;
  readonly candleHub: CandleHub;
  /** GenerateSimulation, shared with the legacy service. */
  readonly simulations: SimulationService;
  /** GetCandles: memory, then the store. */
  readonly history: CandleHistory;
  /** Start/Stop/ListScenarios: the live market's scenarios, within `MAX_ACTIVE_SCENARIOS`. */
  readonly scenarios: ScenarioBook;
}

type MarketDataV1 = ServiceImpl<typeof MarketDataService>;

/**
 * `marketdata.v1.MarketDataService` on the simulator: the unary reads, scenarios on the live
 * feed (through the {@link ScenarioBook}, which holds them), and the streams of
 * {@link marketDataV1Streams}. Every refusal is a ConnectError with a deliberate code:
 * `InvalidArgument` for a malformed request (naming the field), `NotFound` for an unknown
 * symbol or scenario, `ResourceExhausted` when the stream limits or the maximum of active
 * scenarios (the {@link ScenarioBook}'s) are reached, `Unavailable` when history needs the
 * store and it is down. GenerateSimulation resolves the proto's defaults (model BOOTSTRAP,
 * interval 1h, data_points by the window) and leaves the rest to {@link SimulationService}.
 */
export function registerMarketDataV1(router: ConnectRouter, deps: MarketDataV1Dependencies): void {
  router.service(MarketDataService, {
    ...marketReads(deps),
    ...marketDataV1Streams(deps),
    ...scenarioControls(deps),
  });
}

/** The unary reads of the live market and its history, and GenerateSimulation. */
function marketReads(
  deps: MarketDataV1Dependencies,
): Pick<
  MarketDataV1,
  | "listSymbols"
  | "getQuote"
  | "getCandles"
  | "getOrderBook"
  | "getRecentTrades"
  | "getMarketSnapshot"
  | "generateSimulation"
> {
  const { simulator, simulations, history } = deps;
  const knownSymbol = symbolCheck(simulator);
  return {
    listSymbols() {
      return {
        symbols: simulator.symbols.map(toSymbolMessage),
      };
    },

    getQuote(request) {
      const quote = simulator.quote(knownSymbol(request.symbol));
      return { quote: quote === undefined ? undefined : toQuoteMessage(quote) };
    },

    async getCandles(request) {
      const symbol = knownSymbol(request.symbol);
      const interval = INTERVAL_NAMES[request.interval];
      if (interval === undefined) {
        throw new ConnectError(
          "interval must be one of INTERVAL_1M … INTERVAL_1D",
          Code.InvalidArgument,
        );
      }
      const limit = bounded(
        "limit",
        request.limit,
        READ_LIMITS.candles.default,
        READ_LIMITS.candles.max,
      );
      const from = requestTimestampMs("start_time", request.startTime);
      const to = requestTimestampMs("end_time", request.endTime);
      if (from !== undefined && to !== undefined && from >= to) {
        throw new ConnectError("start_time must be before end_time", Code.InvalidArgument);
      }
      const candles = await history
        .query(symbol, interval, candleRange(limit, from, to))
        .catch((error: unknown) => {
          throw unavailableOnHistoryError(error);
        });
      const open = simulator.openCandle(symbol, interval);
      return { candles: candles.map((c) => toCandleMessage(c, c.start !== open?.start)) };
    },

    getOrderBook(request) {
      const symbol = knownSymbol(request.symbol);
      const depth = bounded(
        "depth",
        request.depth,
        READ_LIMITS.depth.default,
        Math.min(READ_LIMITS.depth.max, simulator.maxBookDepth),
      );
      const book = simulator.orderBook(symbol, depth);
      const sequence = simulator.quote(symbol)?.sequence ?? 0;
      return { orderBook: toOrderBookMessage(symbol, book, simulator.now, sequence) };
    },

    getRecentTrades(request) {
      const symbol = knownSymbol(request.symbol);
      const limit = bounded(
        "limit",
        request.limit,
        READ_LIMITS.trades.default,
        READ_LIMITS.trades.max,
      );
      return { trades: (simulator.recentTrades(symbol, limit) ?? []).map(toTradeMessage) };
    },

    getMarketSnapshot(request) {
      const quotes =
        request.symbol === "" ? simulator.quotes() : [simulator.quote(knownSymbol(request.symbol))];
      return {
        snapshots: quotes.filter((q): q is MarketQuote => q !== undefined).map(toSnapshotMessage),
      };
    },

    async generateSimulation(request) {
      const symbol = knownSymbol(request.symbol);
      const modelEnum =
        request.model === V1SimulationModel.UNSPECIFIED
          ? V1SimulationModel.BOOTSTRAP
          : request.model;
      const model = V1_MODELS[modelEnum];
      if (model === undefined)
        throw new ConnectError("model is not a known SimulationModel", Code.InvalidArgument);
      const interval =
        request.interval === Interval.INTERVAL_UNSPECIFIED
          ? "1h"
          : INTERVAL_NAMES[request.interval];
      if (interval === undefined)
        throw new ConnectError("interval is not a known Interval", Code.InvalidArgument);
      if (request.seed !== undefined && request.seed > 0xffffffffn) {
        throw new ConnectError("seed must be at most 4294967295", Code.InvalidArgument);
      }
      const from = requestTimestampMs("start_time", request.startTime);
      const to = requestTimestampMs("end_time", request.endTime);
      const result = await runSimulation(simulations, {
        symbol,
        model,
        interval,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(request.dataPoints === 0 ? {} : { dataPoints: request.dataPoints }),
        parameters: {
          volatilityFactor: request.volatilityFactor ?? 1,
          trendFactor: request.trendFactor ?? 1,
          noiseLevel: request.noiseLevel,
        },
        ...(request.seed === undefined ? {} : { seed: Number(request.seed) | 0 }),
      });
      return {
        simulationId: result.id,
        symbol,
        model: modelEnum,
        interval: INTERVAL_ENUMS[interval],
        seed: BigInt(result.seed >>> 0),
        historicalSource:
          result.source === "recorded" ? HistoricalSource.RECORDED : HistoricalSource.SYNTHETIC,
        historical: result.historical.map((c) => toCandleMessage(c, true)),
        simulated: result.simulated.map((c) => toCandleMessage(c, true)),
        metrics: result.metrics,
      };
    },
  };
}

/** Start, Stop and ListScenarios: the live market's scenarios, through the scenario book. */
function scenarioControls(
  deps: MarketDataV1Dependencies,
): Pick<MarketDataV1, "startScenario" | "stopScenario" | "listScenarios"> {
  const { simulator, scenarios } = deps;
  const knownSymbol = symbolCheck(simulator);
  return {
    startScenario(request) {
      const type = scenarioTypeOf(request.type);
      const symbols =
        request.symbols.length === 0
          ? simulator.symbols.map((s) => s.symbol)
          : request.symbols.map((s) => knownSymbol(s, "symbols"));
      const spec = scenarioSpecOf(type, symbols, request.parameters);
      const entry = invalidArgumentOnRangeError(() => {
        try {
          return scenarios.start(spec);
        } catch (error) {
          if (error instanceof ScenarioLimitError) {
            throw new ConnectError(error.message, Code.ResourceExhausted);
          }
          throw error;
        }
      });
      return { scenario: toScenarioMessage(entry) };
    },

    stopScenario(request) {
      const entry = scenarios.stop(request.scenarioId);
      if (entry === undefined) {
        throw new ConnectError(
          `unknown scenario ${JSON.stringify(request.scenarioId)}`,
          Code.NotFound,
        );
      }
      return { scenario: toScenarioMessage(entry) };
    },

    listScenarios(request) {
      return {
        scenarios: scenarios.list({ includeEnded: request.includeEnded }).map(toScenarioMessage),
      };
    },
  };
}
