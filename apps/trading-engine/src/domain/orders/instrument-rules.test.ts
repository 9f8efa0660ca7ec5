import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryRules, ETH_RULES as ETH, onGrid } from "../../testing/instrument-grids.js";
import {
  closingQuantities,
  conformTerms,
  MAX_CLOSING_ORDERS,
  toGrid,
  untradableQuantity,
  usableRules,
} from "./instrument-rules.js";

const rules = arbitraryRules({
  ticks: [1, 0.25, 0.01, 0.001, 0.0001, 0.00001, 0.00000001],
  lots: [1, 0.1, 0.001, 0.00001, 0.00000001],
  minLots: { min: 0, max: 10 },
  maxLots: { min: 10, max: 1_000_000 },
});

describe("instrument rules", () => {
  it("rounds the issue's ETH price to the tick, never more aggressively than asked", () => {
    expect(conformTerms({ side: "buy", quantity: 1, limitPrice: 3_191.92539575 }, ETH)).toEqual({
      side: "buy",
      quantity: 1,
      limitPrice: 3_191.92,
    });
    expect(conformTerms({ side: "sell", quantity: 1, limitPrice: 3_191.92539575 }, ETH)).toEqual({
      side: "sell",
      quantity: 1,
      limitPrice: 3_191.93,
    });
  });

  it("keeps a value already on the grid despite floating-point noise", () => {
    expect(toGrid(0.1 + 0.2, 0.1, "down")).toBe(0.3);
    expect(toGrid(0.1 + 0.2, 0.1, "up")).toBe(0.3);
    expect(toGrid(3_191.92, 0.01, "up")).toBe(3_191.92);
  });

  it("puts well-formed terms on the grid, within the bounds, never more aggressive (property)", () => {
    fc.assert(
      fc.property(
        rules,
        fc.constantFrom("buy" as const, "sell" as const),
        fc.double({ min: 1e-8, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-8, max: 1e6, noNaN: true }),
        (r, side, quantity, limitPrice) => {
          const terms = conformTerms({ side, quantity, limitPrice }, r);
          if (terms === undefined) {
            // Not sent only when nothing sendable was left.
            const lots = Math.floor(Math.min(quantity, r.maxQuantity || quantity) / r.lotSize);
            const tooSmall = lots * r.lotSize < Math.max(r.minQuantity, r.lotSize) * (1 - 1e-9);
            const priceGone = side === "buy" && limitPrice < r.tickSize * (1 + 1e-9);
            expect(tooSmall || priceGone).toBe(true);
            return;
          }
          expect(onGrid(terms.quantity, r.lotSize)).toBe(true);
          expect(onGrid(terms.limitPrice ?? 0, r.tickSize)).toBe(true);
          expect(terms.quantity).toBeGreaterThanOrEqual(r.minQuantity);
          expect(terms.quantity).toBeLessThanOrEqual(quantity * (1 + 1e-12));
          if (r.maxQuantity > 0) expect(terms.quantity).toBeLessThanOrEqual(r.maxQuantity);
          const price = terms.limitPrice ?? 0;
          if (side === "buy") expect(price).toBeLessThanOrEqual(limitPrice * (1 + 1e-12));
          else expect(price).toBeGreaterThanOrEqual(limitPrice * (1 - 1e-12));
          expect(Math.abs(price - limitPrice)).toBeLessThan(r.tickSize * (1 + 1e-9));
        },
      ),
      { numRuns: 2_000, seed: 12 },
    );
  });

  it("hands terms that are not well-formed back unchanged, for the order to refuse", () => {
    const bad = { side: "buy" as const, quantity: 1, limitPrice: -5 };
    expect(conformTerms(bad, ETH)).toBe(bad);
    const nan = { side: "sell" as const, quantity: Number.NaN };
    expect(conformTerms(nan, ETH)).toBe(nan);
  });

  it("splits a close into near-equal orders within the maximum, leaving only dust (property)", () => {
    fc.assert(
      fc.property(rules, fc.double({ min: 0, max: 1e7, noNaN: true }), (r, position) => {
        const orders = closingQuantities(position, r);
        const total = orders.reduce((sum, q) => sum + q, 0);
        expect(total).toBeLessThanOrEqual(position * (1 + 1e-12) + 1e-9);
        // What is left is less than a lot, or (with nothing placed) less than the minimum, or
        // what the most orders of a close could not hold.
        const left = position - total;
        expect(
          left < r.lotSize * (1 + 1e-6) ||
            (orders.length === 0 && position < Math.max(r.minQuantity, r.lotSize) + r.lotSize) ||
            (orders.length === MAX_CLOSING_ORDERS && orders.every((q) => q === orders[0])),
        ).toBe(true);
        for (const q of orders) {
          expect(onGrid(q, r.lotSize)).toBe(true);
          expect(q).toBeGreaterThanOrEqual(r.minQuantity);
          if (r.maxQuantity > 0) expect(q).toBeLessThanOrEqual(r.maxQuantity);
        }
        if (orders.length > 1)
          expect(Math.max(...orders) - Math.min(...orders)).toBeLessThanOrEqual(
            r.lotSize * 1.000001,
          );
      }),
      { numRuns: 2_000, seed: 12 },
    );
  });

  it("says why an order size can never be sent: below the minimum, less than a lot, above the maximum", () => {
    expect(untradableQuantity(0.00005, ETH)).toBe("below the minimum order size 0.0001");
    expect(untradableQuantity(3_000.5, ETH)).toBe("above the maximum order size 3000");
    expect(untradableQuantity(0.005, { ...ETH, lotSize: 0.01, minQuantity: 0 })).toBe(
      "less than one lot of 0.01",
    );
    expect(untradableQuantity(0.019, { ...ETH, lotSize: 0.01, minQuantity: 0.015 })).toBe(
      "rounds down to 0.01 in lots of 0.01, below the minimum order size 0.015",
    );
    // Between lots, it is sent as the lots it holds.
    expect(untradableQuantity(0.00015, ETH)).toBeUndefined();
    expect(untradableQuantity(3_000, ETH)).toBeUndefined();
  });

  it("calls a size tradable exactly when an order of it is sent uncapped (property)", () => {
    fc.assert(
      fc.property(rules, fc.double({ min: 1e-9, max: 1e6, noNaN: true }), (r, quantity) => {
        const sent = conformTerms({ side: "buy", quantity }, r);
        const uncapped = r.maxQuantity === 0 || quantity <= r.maxQuantity;
        expect(untradableQuantity(quantity, r) === undefined).toBe(sent !== undefined && uncapped);
      }),
      { numRuns: 2_000, seed: 19 },
    );
  });

  it("accepts only rules on the stores' 8-decimal scale with sane bounds", () => {
    expect(usableRules(ETH)).toBe(ETH);
    expect(usableRules({ ...ETH, tickSize: 0 })).toBeUndefined();
    expect(usableRules({ ...ETH, tickSize: 1e-9 })).toBeUndefined();
    expect(usableRules({ ...ETH, lotSize: Number.NaN })).toBeUndefined();
    expect(usableRules({ ...ETH, minQuantity: -1 })).toBeUndefined();
    expect(usableRules({ ...ETH, maxQuantity: 0.00001 })).toBeUndefined();
    expect(usableRules({ ...ETH, maxQuantity: 0 })).toEqual({ ...ETH, maxQuantity: 0 });
  });
});
