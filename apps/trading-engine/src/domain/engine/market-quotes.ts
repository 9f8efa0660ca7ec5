import { type MarketQuote, midOf } from "../shared/market-quote.js";

/**
 * The last quote of each instrument as the engine received it, and whether the feed is stale:
 * which quote is still a market to trade on, and the price an instrument is marked at.
 */
export class MarketQuotes {
  readonly #quotes = new Map<string, MarketQuote>();
  readonly #maxQuoteAgeMs: number;
  readonly #fallbackMark: (instrument: string) => number | undefined;
  #stale = false;

  /**
   * A quote older than `maxQuoteAgeMs` is no market any more; `fallbackMark` marks an
   * instrument no quote was received of (the portfolio's mark).
   */
  constructor(maxQuoteAgeMs: number, fallbackMark: (instrument: string) => number | undefined) {
    this.#maxQuoteAgeMs = maxQuoteAgeMs;
    this.#fallbackMark = fallbackMark;
  }

  /**
   * Keeps `quote` stamped with its arrival `now` and returns it so: a quote's age counts from
   * when the engine got it, whatever clock the feed stamps it with.
   */
  receive(quote: MarketQuote, now: number): MarketQuote {
    const stamped = { ...quote, timestamp: now };
    this.#quotes.set(quote.instrument, stamped);
    return stamped;
  }

  /** The last quote received of `instrument`. */
  last(instrument: string): MarketQuote | undefined {
    return this.#quotes.get(instrument);
  }

  /**
   * The last quote of `instrument` while it is a market to trade on: the feed is not stale and
   * the quote is at most `maxQuoteAgeMs` old at `now`.
   */
  fresh(instrument: string, now: number): MarketQuote | undefined {
    const quote = this.#quotes.get(instrument);
    if (quote === undefined || this.#stale) return undefined;
    return now - quote.timestamp <= this.#maxQuoteAgeMs ? quote : undefined;
  }

  /** The mid of the last quote of `instrument`, else the fallback mark, else 0. */
  markOf(instrument: string): number {
    const quote = this.#quotes.get(instrument);
    return quote === undefined ? (this.#fallbackMark(instrument) ?? 0) : midOf(quote);
  }

  /** Whether the feed is stale (no quote is then a market). */
  get stale(): boolean {
    return this.#stale;
  }

  set stale(stale: boolean) {
    this.#stale = stale;
  }
}
