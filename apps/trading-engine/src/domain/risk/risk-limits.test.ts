import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changeRiskLimits,
  MAX_GROSS_LEVERAGE_BOUND,
  MAX_INSTRUMENT_OVERRIDES,
  positionLimitOf,
  type RiskLimits,
} from "./risk-limits.js";

const LIMITS: RiskLimits = Object.freeze({
  maxPositionSize: 10,
  instrumentMaxPositionSizes: Object.freeze({ "ETH-USD": 100 }),
  maxTotalNotional: 1_000_000,
  maxGrossLeverage: 2,
  maxOrdersPerSecond: 5,
  maxDrawdown: 0.2,
});

describe("changeRiskLimits", () => {
  it("keeps every limit an empty change does not name", () => {
    expect(changeRiskLimits(LIMITS, {})).toEqual(LIMITS);
  });

  it("replaces the set fields only, 0 included (a limit turned off)", () => {
    expect(changeRiskLimits(LIMITS, { maxPositionSize: 0, maxDrawdown: 0.5 })).toEqual({
      ...LIMITS,
      maxPositionSize: 0,
      maxDrawdown: 0.5,
    });
  });

  it("adds and replaces overrides, removes one set to 0, and leaves the input untouched", () => {
    const changed = changeRiskLimits(LIMITS, {
      instrumentMaxPositionSizes: { "ETH-USD": 0, "SOL-USD": 5, "BTC-USD": 1 },
    });
    expect(changed.instrumentMaxPositionSizes).toEqual({ "SOL-USD": 5, "BTC-USD": 1 });
    expect(LIMITS.instrumentMaxPositionSizes).toEqual({ "ETH-USD": 100 });
  });

  it.each([
    ["max_position_size", { maxPositionSize: -1 }],
    ["max_total_notional", { maxTotalNotional: Number.POSITIVE_INFINITY }],
    ["max_gross_leverage", { maxGrossLeverage: MAX_GROSS_LEVERAGE_BOUND + 1 }],
    ["max_orders_per_second", { maxOrdersPerSecond: Number.NaN }],
    ["max_drawdown", { maxDrawdown: 1.01 }],
    ["instrument_max_position_sizes[SOL-USD]", { instrumentMaxPositionSizes: { "SOL-USD": -2 } }],
  ])("refuses a bad %s, naming it", (field, change) => {
    expect(() => changeRiskLimits(LIMITS, change)).toThrow(
      new RegExp(`^${field.replace(/[[\]]/g, "\\$&")} must be a number in`),
    );
  });

  it("accepts the bounds themselves: a drawdown of 1 and the highest gross leverage", () => {
    const changed = changeRiskLimits(LIMITS, {
      maxDrawdown: 1,
      maxGrossLeverage: MAX_GROSS_LEVERAGE_BOUND,
    });
    expect(changed.maxDrawdown).toBe(1);
    expect(changed.maxGrossLeverage).toBe(MAX_GROSS_LEVERAGE_BOUND);
  });

  it("refuses a fractional order rate", () => {
    expect(() => changeRiskLimits(LIMITS, { maxOrdersPerSecond: 2.5 })).toThrow(
      "max_orders_per_second must be an integer",
    );
  });

  it("refuses an override key that is not a symbol, cutting a long key to 40 characters", () => {
    expect(() =>
      changeRiskLimits(LIMITS, { instrumentMaxPositionSizes: { ["x".repeat(50)]: 1 } }),
    ).toThrow(`(got "${"x".repeat(40)}"…)`);
  });

  it("counts overrides after removals, so a change that removes as many as it adds fits", () => {
    const full = Object.fromEntries(
      Array.from({ length: MAX_INSTRUMENT_OVERRIDES }, (_, i) => [`A${i}-USD`, 1]),
    );
    const atMost = changeRiskLimits(
      { ...LIMITS, instrumentMaxPositionSizes: {} },
      {
        instrumentMaxPositionSizes: full,
      },
    );
    expect(Object.keys(atMost.instrumentMaxPositionSizes)).toHaveLength(MAX_INSTRUMENT_OVERRIDES);
    expect(() => changeRiskLimits(atMost, { instrumentMaxPositionSizes: { "ZZ-USD": 1 } })).toThrow(
      /at most 1000 overrides/,
    );
    const swapped = changeRiskLimits(atMost, {
      instrumentMaxPositionSizes: { "A0-USD": 0, "ZZ-USD": 1 },
    });
    expect(swapped.instrumentMaxPositionSizes["ZZ-USD"]).toBe(1);
    expect(swapped.instrumentMaxPositionSizes["A0-USD"]).toBeUndefined();
  });

  it("applies nothing when any part of a change is refused", () => {
    const before = structuredClone(LIMITS);
    expect(() => changeRiskLimits(LIMITS, { maxPositionSize: 3, maxDrawdown: 2 })).toThrow(
      RangeError,
    );
    expect(LIMITS).toEqual(before);
  });

  it("accepts every finite value ≥ 0 for the unbounded limits", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (value) => {
        const changed = changeRiskLimits(LIMITS, {
          maxPositionSize: value,
          maxTotalNotional: value,
        });
        expect(changed.maxPositionSize).toBe(value);
        expect(changed.maxTotalNotional).toBe(value);
      }),
    );
  });
});

describe("positionLimitOf", () => {
  it("uses an instrument's override, else the global limit", () => {
    expect(positionLimitOf(LIMITS, "ETH-USD")).toBe(100);
    expect(positionLimitOf(LIMITS, "BTC-USD")).toBe(10);
    expect(positionLimitOf({ ...LIMITS, maxPositionSize: 0 }, "BTC-USD")).toBe(0);
  });
});
