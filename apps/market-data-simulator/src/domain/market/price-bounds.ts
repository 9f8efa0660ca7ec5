import type { PriceBounds } from "../price/price-process.js";
import { roundToTick } from "./microstructure.js";

/**
 * Where a symbol's mid price may go, in ticks of its grid: the price process reflects off both
 * ends (see `PriceProcess`).
 *
 * - `floor`, 100 ticks: at the floor a tick is 1 % of the price, so quotes, candles and returns
 *   are still resolved to 1 %; the quote stays a real market there — the bid is rounded down
 *   from at least half the mid (a spread of at most 10 000 bps), so it is at least 50 ticks,
 *   below the mid, and below the ask. Without a floor a crash takes the mid under half a tick,
 *   which rounds to a price of 0.
 * - `ceiling`, 10¹² ticks: whole ticks stay exact in a double, and with a tick of at most
 *   1 000 the price fits the stores' `numeric(24,8)` (< 10¹⁶).
 */
export const PRICE_RANGE_IN_TICKS = Object.freeze({ floor: 100, ceiling: 1e12 });

/** The largest and smallest tick sizes a symbol may have (the stores keep 8 decimals). */
export const TICK_SIZE_LIMITS = Object.freeze({ min: 1e-8, max: 1_000 });

/** The price bounds of a symbol whose grid is `tickSize`, on the grid (`100 × 0.07` is 7). */
export function priceBoundsOf(tickSize: number): PriceBounds {
  return {
    min: roundToTick(PRICE_RANGE_IN_TICKS.floor * tickSize, tickSize, "nearest"),
    max: roundToTick(PRICE_RANGE_IN_TICKS.ceiling * tickSize, tickSize, "nearest"),
  };
}

/** `price` moved into `bounds` (to the nearer end when outside). */
export function clampToBounds(price: number, bounds: PriceBounds): number {
  return Math.min(bounds.max, Math.max(bounds.min, price));
}
