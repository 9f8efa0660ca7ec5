import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tickDecimals } from "./microstructure.js";
import {
  clampToBounds,
  PRICE_RANGE_IN_TICKS,
  priceBoundsOf,
  TICK_SIZE_LIMITS,
} from "./price-bounds.js";

/** Whether `price` is a whole number of `tickSize`s, judged on the tick's decimals. */
function onTickGrid(price: number, tickSize: number): boolean {
  const decimals = tickDecimals(tickSize);
  const units = (x: number) => BigInt(x.toFixed(decimals).replace(".", ""));
  return Number(price.toFixed(decimals)) === price && units(price) % units(tickSize) === 0n;
}

describe("priceBoundsOf", () => {
  it("spans 100 to 10¹² ticks, on the grid for ticks that are not a power of ten", () => {
    expect(priceBoundsOf(0.07)).toEqual({ min: 7, max: 70_000_000_000 });
    expect(priceBoundsOf(0.01)).toEqual({ min: 1, max: 10_000_000_000 });
    expect(priceBoundsOf(TICK_SIZE_LIMITS.min)).toEqual({ min: 0.000001, max: 10_000 });
  });

  it("puts both bounds on the tick grid for every permitted tick of one to four digits", () => {
    const tick = fc
      .tuple(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: -8, max: 0 }))
      .map(([digits, exponent]) => Number((digits * 10 ** exponent).toFixed(8)))
      .filter((t) => t >= TICK_SIZE_LIMITS.min && t <= TICK_SIZE_LIMITS.max);
    fc.assert(
      fc.property(tick, (tickSize) => {
        const { min, max } = priceBoundsOf(tickSize);
        expect(onTickGrid(min, tickSize)).toBe(true);
        expect(Math.round(min / tickSize)).toBe(PRICE_RANGE_IN_TICKS.floor);
        expect(Math.round(max / tickSize)).toBe(PRICE_RANGE_IN_TICKS.ceiling);
        // The stores keep numeric(24,8): the ceiling stays below 10¹⁶.
        expect(max).toBeLessThan(1e16);
      }),
    );
  });
});

describe("clampToBounds", () => {
  const bounds = { min: 1, max: 10 };

  it("keeps a price inside the bounds and moves one outside to the nearer end", () => {
    expect(clampToBounds(5, bounds)).toBe(5);
    expect(clampToBounds(1, bounds)).toBe(1);
    expect(clampToBounds(10, bounds)).toBe(10);
    expect(clampToBounds(0.5, bounds)).toBe(1);
    expect(clampToBounds(-3, bounds)).toBe(1);
    expect(clampToBounds(11, bounds)).toBe(10);
    expect(clampToBounds(Number.POSITIVE_INFINITY, bounds)).toBe(10);
  });

  it("always lands within the bounds and is the identity inside them", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), (price) => {
        const clamped = clampToBounds(price, bounds);
        expect(clamped).toBeGreaterThanOrEqual(bounds.min);
        expect(clamped).toBeLessThanOrEqual(bounds.max);
        if (price >= bounds.min && price <= bounds.max) expect(clamped).toBe(price);
      }),
    );
  });
});
