import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveNumber } from "./parameter-rules.js";

const RULE = { fallback: 5, min: 1, max: 10 } as const;

describe("resolveNumber", () => {
  it("gives the fallback for an absent or 0 (proto3 unset) value", () => {
    expect(resolveNumber("x", undefined, RULE)).toBe(5);
    expect(resolveNumber("x", 0, RULE)).toBe(5);
  });

  it("refuses an absent value when there is no fallback, naming the field", () => {
    expect(() => resolveNumber("spread_bps", undefined, { min: 1, max: 10 })).toThrow(
      new RangeError("spread_bps is required"),
    );
  });

  it("keeps every value inside [min, max] as it is", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 10, noNaN: true }), (value) => {
        expect(resolveNumber("x", value, RULE)).toBe(value);
      }),
    );
  });

  it("refuses values outside the range or not finite, with the range in the message", () => {
    for (const value of [0.999, 10.001, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveNumber("x", value, RULE)).toThrow(RangeError);
    }
    expect(() => resolveNumber("x", 11, RULE)).toThrow("x must be in [1, 10] (got 11)");
  });

  it("refuses the minimum itself when the bound is exclusive", () => {
    const rule = { min: 1, max: 10, minExclusive: true };
    expect(() => resolveNumber("x", 1, rule)).toThrow("x must be in (1, 10] (got 1)");
    expect(resolveNumber("x", 1.0001, rule)).toBe(1.0001);
    expect(resolveNumber("x", 1, { min: 1, max: 10 })).toBe(1);
  });

  it("refuses a fraction where an integer is required", () => {
    const rule = { min: 1, max: 100, integer: true };
    expect(resolveNumber("window", 20, rule)).toBe(20);
    expect(() => resolveNumber("window", 20.5, rule)).toThrow(
      "window must be an integer (got 20.5)",
    );
  });
});
