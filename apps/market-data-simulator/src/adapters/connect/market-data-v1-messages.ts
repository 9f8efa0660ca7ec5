import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type Candle as CandleMessage,
  CandleSchema,
  Interval,
  type MarketSnapshot as MarketSnapshotMessage,
  MarketSnapshotSchema,
  type OrderBook as OrderBookMessage,
  OrderBookSchema,
  type Quote as QuoteMessage,
  QuoteSchema,
  type Scenario as ScenarioMessage,
  type ScenarioPreviewPoint as ScenarioPreviewPointMessage,
  ScenarioPreviewPointSchema,
  ScenarioSchema,
  ScenarioStatus,
  type ScenarioType,
  type Symbol as SymbolMessage,
  SymbolSchema,
  type Trade as TradeMessage,
  TradeSchema,
  TradeSide,
  SimulationModel as V1SimulationModel,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { CANDLE_INTERVALS } from "../../application/candle-history.js";
import {
  hasRecoveryPhase,
  SCENARIO_TYPES,
  type ScenarioEntry,
} from "../../application/scenario-book.js";
import { symbolRowOf } from "../../application/seed-symbols.js";
import type { CandleInterval, OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, TapeTrade } from "../../domain/engine/market-simulator.js";
import type { OrderBook } from "../../domain/market/microstructure.js";
import type { SymbolConfig } from "../../domain/market/symbol-universe.js";
import type { ScenarioType as DomainScenarioType } from "../../domain/scenarios/scenario.js";
import type { ScenarioPreviewPoint } from "../../domain/scenarios/scenario-preview.js";
import type { SimulationModel } from "../../domain/simulation/simulation-models.js";

/** The candle interval of each `marketdata.v1.Interval` value (UNSPECIFIED has none). */
export const INTERVAL_NAMES: Readonly<Record<number, CandleInterval>> = {
  [Interval.INTERVAL_1M]: "1m",
  [Interval.INTERVAL_5M]: "5m",
  [Interval.INTERVAL_15M]: "15m",
  [Interval.INTERVAL_1H]: "1h",
  [Interval.INTERVAL_4H]: "4h",
  [Interval.INTERVAL_1D]: "1d",
};

/** The `marketdata.v1.Interval` of each candle interval. */
export const INTERVAL_ENUMS = Object.fromEntries(
  Object.entries(INTERVAL_NAMES).map(([value, name]) => [name, Number(value)]),
) as Record<CandleInterval, Interval>;

/** The simulation model of each `marketdata.v1.SimulationModel` value (UNSPECIFIED has none). */
export const V1_MODELS: Readonly<Record<number, SimulationModel>> = {
  [V1SimulationModel.BOOTSTRAP]: "STATISTICAL_SIMILARITY",
  [V1SimulationModel.GBM]: "MONTE_CARLO",
  [V1SimulationModel.BROWNIAN_MOTION]: "BROWNIAN_MOTION",
  [V1SimulationModel.ORNSTEIN_UHLENBECK]: "MEAN_REVERSION",
  [V1SimulationModel.MOMENTUM]: "TREND_FOLLOWING",
};

/** A uint64 seed folded into the 32 bits the random streams take (both halves count). */
export function foldSeed(seed: bigint): number {
  return Number(BigInt.asIntN(32, seed ^ (seed >> 32n)));
}

/** A simulated symbol as a `marketdata.v1.Symbol`, with the order-size rules of its row. */
export function toSymbolMessage(symbol: SymbolConfig): SymbolMessage {
  const rules = symbolRowOf(symbol);
  return create(SymbolSchema, {
    symbol: symbol.symbol,
    base: symbol.base,
    quote: symbol.quote,
    displayName: `${symbol.base}/${symbol.quote}`,
    tickSize: symbol.tickSize,
    minOrderSize: rules.minOrderSize,
    maxOrderSize: rules.maxOrderSize,
    active: true,
  });
}

/** A quote as a `marketdata.v1.Quote`. */
export function toQuoteMessage(quote: MarketQuote): QuoteMessage {
  return create(QuoteSchema, {
    symbol: quote.symbol,
    last: quote.last,
    bid: quote.bid,
    ask: quote.ask,
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    change24h: quote.change24h,
    changePercent24h: quote.changePercent24h,
    high24h: quote.high24h,
    low24h: quote.low24h,
    volume24h: quote.volume24h,
    timestamp: timestampFromMs(quote.timestamp),
    sequence: BigInt(quote.sequence),
  });
}

/** A candle as a `marketdata.v1.Candle`, `closed` or still open. */
export function toCandleMessage(candle: OhlcCandle, closed: boolean): CandleMessage {
  return create(CandleSchema, {
    symbol: candle.symbol,
    interval: INTERVAL_ENUMS[candle.interval],
    startTime: timestampFromMs(candle.start),
    endTime: timestampFromMs(candle.start + CANDLE_INTERVALS[candle.interval]),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    tradeCount: candle.trades,
    closed,
  });
}

/** An order book's levels as a `marketdata.v1.OrderBook` at simulated time `now`. */
export function toOrderBookMessage(
  symbol: string,
  book: OrderBook | undefined,
  now: number,
  sequence: number,
): OrderBookMessage {
  return create(OrderBookSchema, {
    symbol,
    bids: (book?.bids ?? []).map(([price, quantity]) => ({ price, quantity })),
    asks: (book?.asks ?? []).map(([price, quantity]) => ({ price, quantity })),
    timestamp: timestampFromMs(now),
    sequence: BigInt(sequence),
  });
}

/** A simulated trade as a `marketdata.v1.Trade`. */
export function toTradeMessage(trade: TapeTrade): TradeMessage {
  return create(TradeSchema, {
    id: trade.id,
    symbol: trade.symbol,
    price: trade.price,
    quantity: trade.quantity,
    side: trade.side === "buy" ? TradeSide.BUY : TradeSide.SELL,
    timestamp: timestampFromMs(trade.timestamp),
  });
}

/** A quote's 24h figures as a `marketdata.v1.MarketSnapshot`. */
export function toSnapshotMessage(quote: MarketQuote): MarketSnapshotMessage {
  return create(MarketSnapshotSchema, {
    symbol: quote.symbol,
    lastPrice: quote.last,
    bid: quote.bid,
    ask: quote.ask,
    spread: quote.ask - quote.bid,
    open24h: quote.last - quote.change24h,
    high24h: quote.high24h,
    low24h: quote.low24h,
    volume24h: quote.volume24h,
    priceChange24h: quote.change24h,
    priceChangePercent24h: quote.changePercent24h,
    timestamp: timestampFromMs(quote.timestamp),
  });
}

/** A point of a scenario preview as a `marketdata.v1.ScenarioPreviewPoint`. */
export function toPreviewPointMessage(point: ScenarioPreviewPoint): ScenarioPreviewPointMessage {
  return create(ScenarioPreviewPointSchema, {
    timestamp: timestampFromMs(point.timestamp),
    price: point.price,
    baselinePrice: point.baselinePrice,
    volume: point.volume,
    phase: point.phase === "main" ? ScenarioStatus.ACTIVE : ScenarioStatus.RECOVERING,
  });
}

const SCENARIO_STATUSES: Readonly<Record<ScenarioEntry["status"], ScenarioStatus>> = {
  active: ScenarioStatus.ACTIVE,
  recovering: ScenarioStatus.RECOVERING,
  completed: ScenarioStatus.COMPLETED,
  stopped: ScenarioStatus.STOPPED,
};

/** A scenario of the book as a `marketdata.v1.Scenario`, with the times its phases end. */
export function toScenarioMessage(entry: ScenarioEntry): ScenarioMessage {
  const { scenario, stoppedAt } = entry;
  const { spec } = scenario;
  const durationMs = spec.durationSeconds * 1_000;
  return create(ScenarioSchema, {
    id: scenario.id,
    type: (SCENARIO_TYPES.indexOf(spec.type as DomainScenarioType) + 1) as ScenarioType,
    symbols: [...spec.symbols],
    parameters: {
      intensity: spec.intensity,
      durationSeconds: spec.durationSeconds,
      recoveryFactor: spec.recoveryFactor,
      gradualTransition: spec.gradualTransition,
    },
    status: SCENARIO_STATUSES[entry.status],
    startedAt: timestampFromMs(scenario.startedAt),
    endsAt: timestampFromMs(scenario.startedAt + durationMs),
    ...(hasRecoveryPhase(spec)
      ? { recoveryEndsAt: timestampFromMs(scenario.startedAt + 2 * durationMs) }
      : {}),
    ...(stoppedAt === undefined ? {} : { stoppedAt: timestampFromMs(stoppedAt) }),
  });
}
