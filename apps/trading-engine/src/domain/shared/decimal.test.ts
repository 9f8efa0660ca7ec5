import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPositive, QUANTITY_EPSILON, round8 } from "./decimal.js";

describe("round8", () => {
  it("rounds to the stored scale of 8 decimals", () => {
    expect(round8(0.1 + 0.2)).toBe(0.3);
    expect(round8(1.123456786)).toBe(1.12345679);
    expect(round8(1.123456784)).toBe(1.12345678);
  });

  it("never returns negative zero, which would be stored and reported as -0", () => {
    expect(Object.is(round8(-1e-10), 0)).toBe(true);
    expect(Object.is(round8(-0), 0)).toBe(true);
  });

  it("is idempotent and lands on the 8-decimal grid for stored-size amounts", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), (value) => {
        const once = round8(value);
        expect(round8(once)).toBe(once);
        expect(Math.abs(once - value)).toBeLessThanOrEqual(5e-9 + Math.abs(value) * 1e-15);
        expect(Number(once.toFixed(8))).toBe(once);
      }),
    );
  });
});

describe("QUANTITY_EPSILON", () => {
  it("is half the last stored decimal, so two distinct stored amounts never compare equal", () => {
    expect(QUANTITY_EPSILON).toBe(0.5e-8);
    expect(Math.abs(round8(1.00000001) - round8(1)) > QUANTITY_EPSILON).toBe(true);
  });
});

describe("isPositive", () => {
  it("accepts finite numbers above 0 only", () => {
    expect(isPositive(1e-8)).toBe(true);
    expect(isPositive(42)).toBe(true);
    for (const value of [0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isPositive(value)).toBe(false);
    }
  });
});
