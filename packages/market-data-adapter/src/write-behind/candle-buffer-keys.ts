import { type Candle, candleKey } from "../model/candle.js";
import { CandleSeriesMap } from "../model/candle-series-map.js";

/** Series numbered below this get numeric keys: index × 2^39 stays below 2^53. */
const NUMERIC_SERIES_LIMIT = 2 ** 14;
/** Start minutes are within ±1.44 × 10^11 (a `Date`'s range): shifted by this, in [0, 2^39). */
const MINUTES_OFFSET = 2 ** 38;
const MINUTES_SPAN = 2 ** 39;
const MINUTE_MS = 60_000;

/**
 * The write-behind buffer's keys for validated candles: equal for the same `(symbol, interval,
 * startTime)`, different otherwise, like `candleKey`, but a number where it can be — the buffer
 * keys every enqueued candle, and building and hashing the string cost ~0.5 µs a candle on
 * batches of 100 000.
 *
 * Each series seen gets an index; a candle's key is `index × 2^39 + minutes since the epoch +
 * 2^38` (validated starts are whole minutes), exact while fewer than 2^14 series were seen. The
 * candles of later series get the `candleKey` string, which no number can equal in a `Map`.
 */
export class CandleBufferKeys {
  readonly #seriesIndex = new CandleSeriesMap<number>();
  #series = 0;

  /** The key of `candle`, a validated candle (its start is a whole number of minutes). */
  key(candle: Candle): string | number {
    let index = this.#seriesIndex.get(candle);
    if (index === undefined) {
      index = this.#series++;
      this.#seriesIndex.set(candle, index);
    }
    if (index >= NUMERIC_SERIES_LIMIT) return candleKey(candle);
    return index * MINUTES_SPAN + candle.startTime.getTime() / MINUTE_MS + MINUTES_OFFSET;
  }
}
