import { roundQuantity } from "./microstructure.js";

/** The rolling figures of a window (24 h by default). */
export interface RollingStats {
  /** The first price in the window: the price about a window ago. */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly last: number;
  /** Traded quantity in the window, on the stores' 8 decimals. */
  readonly volume: number;
  /** `last − open`. */
  readonly change: number;
  /** `change / open × 100`. */
  readonly changePercent: number;
}

interface Bucket {
  id: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Rolling statistics of one symbol over a trailing window, kept in fixed time buckets (a ring
 * of `windowMs / bucketMs` buckets, one minute each by default), so memory is constant and the
 * window slides a bucket at a time: a figure is exact up to one bucket at the window's far end.
 */
export class RollingWindow {
  readonly #bucketMs: number;
  readonly #buckets: (Bucket | undefined)[];
  #lastId = Number.NEGATIVE_INFINITY;

  constructor(windowMs = 86_400_000, bucketMs = 60_000) {
    if (!(bucketMs > 0) || !(windowMs >= bucketMs) || windowMs % bucketMs !== 0) {
      throw new RangeError("the window must be a positive whole number of buckets");
    }
    this.#bucketMs = bucketMs;
    this.#buckets = new Array<Bucket | undefined>(windowMs / bucketMs).fill(undefined);
  }

  /** Records a trade (or a price with quantity 0) at `timestamp` (epoch ms, non-decreasing). */
  add(timestamp: number, price: number, quantity: number): void {
    const id = Math.floor(timestamp / this.#bucketMs);
    if (id < this.#lastId) throw new RangeError("rolling window updates must not go back in time");
    this.#lastId = id;
    const slot = id % this.#buckets.length;
    const bucket = this.#buckets[slot];
    if (bucket === undefined || bucket.id !== id) {
      this.#buckets[slot] = {
        id,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: roundQuantity(quantity),
      };
      return;
    }
    bucket.high = Math.max(bucket.high, price);
    bucket.low = Math.min(bucket.low, price);
    bucket.close = price;
    bucket.volume = roundQuantity(bucket.volume + quantity);
  }

  /** The statistics of the window ending at `now` (epoch ms), or `undefined` before any update. */
  stats(now: number): RollingStats | undefined {
    const newest = Math.floor(now / this.#bucketMs);
    const oldest = newest - this.#buckets.length + 1;
    let first: Bucket | undefined;
    let last: Bucket | undefined;
    let high = Number.NEGATIVE_INFINITY;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    for (const bucket of this.#buckets) {
      if (bucket === undefined || bucket.id < oldest || bucket.id > newest) continue;
      if (first === undefined || bucket.id < first.id) first = bucket;
      if (last === undefined || bucket.id > last.id) last = bucket;
      high = Math.max(high, bucket.high);
      low = Math.min(low, bucket.low);
      volume += bucket.volume;
    }
    if (first === undefined || last === undefined) return undefined;
    const change = last.close - first.open;
    return {
      open: first.open,
      high,
      low,
      last: last.close,
      volume: roundQuantity(volume),
      change,
      changePercent: (change / first.open) * 100,
    };
  }
}
