import { ConflatingHub } from "@tse/service-kit";
import { type CandleUpdate, candleUpdateKey } from "../domain/engine/candle-update.js";
import type { MarketQuote } from "../domain/engine/market-simulator.js";

/** The live quotes stream: one quote per symbol waits for a subscriber, the newest. */
export type QuoteHub = ConflatingHub<MarketQuote>;

/** The live candles stream: the open candle per symbol and interval, and recent closed ones. */
export type CandleHub = ConflatingHub<CandleUpdate>;

/** Limits of the simulator's streams (`MAX_SUBSCRIBERS`, `MAX_SYMBOLS_PER_STREAM`). */
export interface MarketStreamLimits {
  /** The most subscriptions one hub holds open at once. */
  readonly maxSubscribers: number;
  /** The most symbols one subscription may name. */
  readonly maxSymbolsPerSubscription: number;
}

/** Observers of a simulator stream hub; both optional. */
export interface MarketStreamObservers {
  /** Told how many updates were replaced by newer ones before their subscriber took them. */
  readonly onConflated?: (count: number) => void;
  /** Called after a subscription opens or closes. */
  readonly onSubscriptionsChanged?: () => void;
}

function options(limits: MarketStreamLimits, observers: MarketStreamObservers) {
  return {
    overflow: { kind: "conflate" },
    limits: {
      maxSubscribers: limits.maxSubscribers,
      maxTopicsPerSubscription: limits.maxSymbolsPerSubscription,
    },
    wording: { server: "the simulator", topics: "symbols" },
    ...observers,
  } as const;
}

/**
 * The hub of live quotes, selected and conflated by symbol: a subscriber's queue never holds
 * more than one quote per subscribed symbol, so it needs no other bound.
 */
export function createQuoteHub(
  limits: MarketStreamLimits,
  observers: MarketStreamObservers = {},
): QuoteHub {
  return new ConflatingHub<MarketQuote>({
    ...options(limits, observers),
    keyOf: (quote) => quote.symbol,
  });
}

/**
 * The hub of candle updates, selected by symbol and conflated by {@link candleUpdateKey}: a
 * closed candle is never replaced by the next open one, and the key space stays bounded.
 */
export function createCandleHub(
  limits: MarketStreamLimits,
  observers: MarketStreamObservers = {},
): CandleHub {
  return new ConflatingHub<CandleUpdate>({
    ...options(limits, observers),
    keyOf: candleUpdateKey,
    topicOf: (update) => update.symbol,
  });
}
