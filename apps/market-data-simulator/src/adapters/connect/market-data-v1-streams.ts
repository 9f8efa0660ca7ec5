import { randomInt } from "node:crypto";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  BatchKind,
  type MarketDataService,
  type ScenarioPreviewPoint as ScenarioPreviewPointMessage,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { abortableDelay } from "@tse/service-kit";
import type { CandleHub, QuoteHub } from "../../application/market-streams.js";
import { previewOnLiveMarket } from "../../application/scenario-previews.js";
import type { CandleInterval, OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";
import {
  foldSeed,
  INTERVAL_NAMES,
  toCandleMessage,
  toPreviewPointMessage,
  toQuoteMessage,
} from "./market-data-v1-messages.js";
import { bounded, symbolCheck } from "./market-data-v1-requests.js";
import { invalidArgumentOnRangeError, scenarioSpecOf, scenarioTypeOf } from "./scenario-request.js";
import { subscribeOrRefuse } from "./subscribe-or-refuse.js";

/** What the streams read and follow. */
export interface MarketDataV1StreamDependencies {
  readonly simulator: MarketSimulator;
  readonly hub: QuoteHub;
  readonly candleHub: CandleHub;
}

type MarketDataV1 = ServiceImpl<typeof MarketDataService>;

/**
 * The server streams of `marketdata.v1.MarketDataService`. StreamPrices sends a snapshot batch,
 * then batches of conflated updates, optionally at most one per `min_interval_ms`.
 * StreamCandles sends the open candles first, then open candles as they change and each candle
 * once closed. StreamScenarioPreview computes a private path from the symbol's live state and
 * streams it in batches, lazily (a point is computed when the client is ready for it), ending
 * after the last. A full hub or too many symbols is `ResourceExhausted`.
 */
export function marketDataV1Streams(
  deps: MarketDataV1StreamDependencies,
): Pick<MarketDataV1, "streamPrices" | "streamCandles" | "streamScenarioPreview"> {
  const { simulator, hub, candleHub } = deps;
  const knownSymbol = symbolCheck(simulator);
  return {
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
  };
}
