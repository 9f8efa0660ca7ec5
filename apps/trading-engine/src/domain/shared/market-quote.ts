/** The top of book of one instrument, as the market data feed delivers it. */
export interface MarketQuote {
  readonly instrument: string;
  readonly bid: number;
  readonly ask: number;
  /** Quantity available at the bid, base units. */
  readonly bidSize: number;
  /** Quantity available at the ask, base units. */
  readonly askSize: number;
  readonly last: number;
  /** Epoch ms of the quote. */
  readonly timestamp: number;
}

/** The mid price of a quote. */
export function midOf(quote: MarketQuote): number {
  return (quote.bid + quote.ask) / 2;
}
