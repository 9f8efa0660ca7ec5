import type { CandleInterval } from "./candle-interval.js";

/**
 * A map keyed by a candle series — `(symbol, interval)` — that builds no string key per lookup:
 * the write paths consult it once per candle, for batches of many thousands.
 */
export class CandleSeriesMap<V> {
  readonly #bySymbol = new Map<string, Map<CandleInterval, V>>();

  get(series: { readonly symbol: string; readonly interval: CandleInterval }): V | undefined {
    return this.#bySymbol.get(series.symbol)?.get(series.interval);
  }

  set(series: { readonly symbol: string; readonly interval: CandleInterval }, value: V): void {
    let byInterval = this.#bySymbol.get(series.symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#bySymbol.set(series.symbol, byInterval);
    }
    byInterval.set(series.interval, value);
  }

  /** Every value, by symbol then interval in insertion order. */
  *values(): IterableIterator<V> {
    for (const byInterval of this.#bySymbol.values()) yield* byInterval.values();
  }
}
