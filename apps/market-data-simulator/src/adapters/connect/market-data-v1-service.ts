import { randomInt } from "node:crypto";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  BatchKind,
  HistoricalSource,
  Interval,
  MarketDataService,
  type ScenarioPreviewPoint as ScenarioPreviewPointMessage,
  SimulationModel as V1SimulationModel,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { abortableDelay } from "@tse/service-kit";
import type { CandleHistory } from "../../application/candle-history.js";
import type { SimulationService } from "../../application/generate-simulation.js";
import type { CandleHub, QuoteHub } from "../../application/market-streams.js";
import { READ_LIMITS } from "../../application/read-limits.js";
import { type ScenarioBook, ScenarioLimitError } from "../../application/scenario-book.js";
import { previewOnLiveMarket } from "../../application/scenario-previews.js";
import type { CandleInterval, OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import {
  foldSeed,
  INTERVAL_ENUMS,
  INTERVAL_NAMES,
  toCandleMessage,
  toOrderBookMessage,
  toPreviewPointMessage,
  toQuoteMessage,
  toScenarioMessage,
  toSnapshotMessage,
  toSymbolMessage,
  toTradeMessage,
  V1_MODELS,
} from "./market-data-v1-messages.js";
import { requestTimestampMs } from "./request-timestamp.js";
import { runSimulation, unavailableOnHistoryError } from "./run-simulation.js";
import { invalidArgumentOnRangeError, scenarioSpecOf, scenarioTypeOf } from "./scenario-request.js";
import { subscribeOrRefuse } from "./subscribe-or-refuse.js";

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

/**
 * `marketdata.v1.MarketDataService` on the simulator: the unary reads, scenarios on the live
 * feed, and StreamPrices (a snapshot batch, then batches of conflated updates, optionally at
 * most one per `min_interval_ms`). Every refusal is a ConnectError with a deliberate code:
 * `InvalidArgument` for a malformed request (naming the field), `NotFound` for an unknown
 * symbol or scenario, `ResourceExhausted` when the stream limits or the maximum of active
 * scenarios (the {@link ScenarioBook}'s) are reached, `Unavailable` when history needs the
 * store and it is down. GenerateSimulation resolves the proto's defaults (model BOOTSTRAP,
 * interval 1h, data_points by the window) and leaves the rest to {@link SimulationService}.
 * StreamCandles sends the open candles first, then open candles as they change and each candle
 * once closed.
 * StreamScenarioPreview computes a private path from the symbol's live state and streams it in
 * batches, lazily (a point is computed when the client is ready for it), ending after the last.
 */
export function registerMarketDataV1(router: ConnectRouter, deps: MarketDataV1Dependencies): void {
  const { simulator, hub, candleHub, simulations, history, scenarios } = deps;

  const knownSymbol = (symbol: string, field = "symbol"): string => {
    if (symbol === "") throw new ConnectError(`${field} is required`, Code.InvalidArgument);
    if (!simulator.has(symbol))
      throw new ConnectError(`unknown symbol ${JSON.stringify(symbol)}`, Code.NotFound);
    return symbol;
  };
  const bounded = (field: string, value: number, fallback: number, max: number): number => {
    if (value === 0) return fallback;
    if (value > max)
      throw new ConnectError(
        `${field} must be at most ${max} (got ${value})`,
        Code.InvalidArgument,
      );
    return value;
  };

  router.service(MarketDataService, {
    listSymbols() {
      return {
        symbols: simulator.symbols.map(toSymbolMessage),
      };
    },

    getQuote(request) {
      const quote = simulator.quote(knownSymbol(request.symbol));
      return { quote: quote === undefined ? undefined : toQuoteMessage(quote) };
    },

    async *streamPrices(request, context: HandlerContext) {
      const symbols =
        request.symbols.length === 0
          ? "all"
          : request.symbols.map((s) => knownSymbol(s, "symbols"));
      const minIntervalMs = request.minIntervalMs ?? 0;
      if (minIntervalMs > 60_000) {
        throw new ConnectError(
          `min_interval_ms must be at most 60000 (got ${minIntervalMs})`,
          Code.InvalidArgument,
        );
      }
      const subscription = subscribeOrRefuse(hub, symbols);
      const onAbort = () => subscription.close();
      context.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const wanted =
          symbols === "all" ? simulator.quotes() : symbols.map((s) => simulator.quote(s));
        yield {
          kind: BatchKind.SNAPSHOT,
          updates: wanted.filter((q): q is MarketQuote => q !== undefined).map(toQuoteMessage),
        };
        for (;;) {
          const batch = await subscription.next();
          if (batch === undefined) return;
          yield { kind: BatchKind.UPDATE, updates: batch.map(toQuoteMessage) };
          if (minIntervalMs > 0) await abortableDelay(minIntervalMs, context.signal);
        }
      } finally {
        context.signal.removeEventListener("abort", onAbort);
        subscription.close();
      }
    },

    async *streamCandles(request, context: HandlerContext) {
      const symbols =
        request.symbols.length === 0
          ? "all"
          : request.symbols.map((s) => knownSymbol(s, "symbols"));
      const intervals = new Set<CandleInterval>(
        request.intervals.length === 0
          ? Object.values(INTERVAL_NAMES)
          : request.intervals.map((value) => {
              const interval = INTERVAL_NAMES[value];
              if (interval === undefined) {
                throw new ConnectError(
                  "intervals must be INTERVAL_1M … INTERVAL_1D",
                  Code.InvalidArgument,
                );
              }
              return interval;
            }),
      );
      const subscription = subscribeOrRefuse(candleHub, symbols);
      const onAbort = () => subscription.close();
      context.signal.addEventListener("abort", onAbort, { once: true });
      try {
        const names = symbols === "all" ? simulator.symbols.map((s) => s.symbol) : symbols;
        const open = names.flatMap((symbol) =>
          [...intervals].map((interval) => simulator.openCandle(symbol, interval)),
        );
        yield {
          kind: BatchKind.SNAPSHOT,
          candles: open
            .filter((c): c is OhlcCandle => c !== undefined)
            .map((c) => toCandleMessage(c, false)),
        };
        for (;;) {
          const batch = await subscription.next();
          if (batch === undefined) return;
          const wanted = batch.filter((update) => intervals.has(update.candle.interval));
          if (wanted.length === 0) continue;
          yield {
            kind: BatchKind.UPDATE,
            candles: wanted.map((u) => toCandleMessage(u.candle, u.closed)),
          };
        }
      } finally {
        context.signal.removeEventListener("abort", onAbort);
        subscription.close();
      }
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
        .query(symbol, interval, {
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          limit,
        })
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

    async *streamScenarioPreview(request, context) {
      const symbol = knownSymbol(request.symbol);
      const { symbols: _, ...spec } = scenarioSpecOf(
        scenarioTypeOf(request.type),
        [symbol],
        request.parameters,
      );
      const stepMs = bounded("step_ms", request.stepMs, 1_000, 3_600_000);
      const batchSize = bounded("batch_size", request.batchSize, 100, 1_000);
      const seed = request.seed === undefined ? randomInt(2 ** 31) : foldSeed(request.seed);
      const points = invalidArgumentOnRangeError(() =>
        previewOnLiveMarket(simulator, { spec, symbol, stepMs, seed }),
      );
      let batch: ScenarioPreviewPointMessage[] = [];
      for (const point of points) {
        if (context.signal.aborted) return;
        batch.push(toPreviewPointMessage(point));
        if (batch.length === batchSize) {
          yield { points: batch };
          batch = [];
        }
      }
      if (batch.length > 0) yield { points: batch };
    },
  });
}
