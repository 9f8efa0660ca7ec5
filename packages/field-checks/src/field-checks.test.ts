import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkDecimal,
  checkMetadata,
  checkPage,
  PERCENT_COLUMN,
  roundDecimal,
  validateBatch,
  validateObjectBatch,
} from "./field-checks.js";
import { ValidationError } from "./validation-error.js";

describe("ValidationError", () => {
  it("names the field, the rule and the value", () => {
    const error = new ValidationError("price", "must be greater than 0", -1);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe("price must be greater than 0 (got -1)");
    expect(error.withFieldPrefix("feeds[3]").field).toBe("feeds[3].price");
  });
});

describe("roundDecimal", () => {
  it("rounds half away from zero on the decimal form", () => {
    expect(roundDecimal(1.000000005, 8)).toBe(1.00000001);
    expect(roundDecimal(-1.000000005, 8)).toBe(-1.00000001);
    expect(roundDecimal(0.000000004, 8)).toBe(0);
    expect(roundDecimal(5e-9, 8)).toBe(1e-8);
    expect(roundDecimal(12.34565, 4)).toBe(12.3457);
    expect(roundDecimal(0.1 + 0.2, 8)).toBe(0.3);
    expect(roundDecimal(123, 8)).toBe(123);
  });

  it.each([
    [1.123456785, 1.12345679],
    [-1.123456785, -1.12345679],
    [0.000000005, 0.00000001],
    [0.0000000049, 0],
    [1.5e-8, 0.00000002],
    [99.999999995, 100],
    [123456789.1234567, 123456789.1234567],
    [0.1, 0.1],
  ])("rounds %d to %d at 8 places", (value, expected) => {
    expect(roundDecimal(value, 8)).toBe(expected);
  });

  it("never changes a value that already has at most `scale` decimals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        (whole, frac) => {
          const value = Number(`${whole}.${String(frac).padStart(8, "0")}`);
          expect(roundDecimal(value, 8)).toBe(value);
        },
      ),
    );
  });

  it("moves a value by at most half a unit of the last place", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        expect(Math.abs(roundDecimal(value, 8) - value)).toBeLessThanOrEqual(
          5e-9 + Math.abs(value) * 1e-15,
        );
      }),
    );
  });
});

describe("checkDecimal", () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY, "1", null, undefined])("refuses %s", (value) => {
    expect(() => checkDecimal("price", value, "any")).toThrow(ValidationError);
  });

  it("applies the sign rule after rounding", () => {
    expect(() => checkDecimal("price", 1e-9, "positive")).toThrow(/greater than 0/);
    expect(checkDecimal("volume", -1e-9, "non-negative")).toBe(0);
    expect(Object.is(checkDecimal("change", -1e-9, "any"), 0)).toBe(true);
    expect(() => checkDecimal("volume", -0.01, "non-negative")).toThrow(/negative/);
  });

  it("refuses values the column cannot hold", () => {
    expect(() => checkDecimal("price", 1e16, "positive")).toThrow(/less than/);
    expect(checkDecimal("price", 9e15, "positive")).toBe(9e15);
    expect(() => checkDecimal("pct", 1e16, "any", PERCENT_COLUMN)).toThrow(ValidationError);
    expect(checkDecimal("pct", -99999999999.99994, "any", PERCENT_COLUMN)).toBe(-99999999999.9999);
  });
});

describe("checkMetadata", () => {
  it("copies a JSON object deeply and defaults to {}", () => {
    const input = { a: [1, { b: "c" }], d: null };
    const copy = checkMetadata("metadata", input);
    expect(copy).toEqual(input);
    expect(copy).not.toBe(input);
    expect(checkMetadata("metadata", undefined)).toEqual({});
  });

  it.each([[[1]], ["x"], [{ d: new Date() }], [{ n: Number.NaN }], [{ s: "a\0b" }]])(
    "refuses %j",
    (value) => {
      expect(() => checkMetadata("metadata", value)).toThrow(ValidationError);
    },
  );
});

describe("checkPage", () => {
  it("defaults offset to 0 and leaves limit open", () => {
    expect(checkPage(undefined, undefined)).toEqual({ limit: undefined, offset: 0 });
    expect(() => checkPage(-1, 0)).toThrow(ValidationError);
    expect(() => checkPage(1, 0.5)).toThrow(ValidationError);
  });
});

describe("validateBatch", () => {
  it("names the position of the first bad item", () => {
    const check = (n: number) => {
      if (n < 0) throw new ValidationError("value", "must not be negative", n);
      return n * 2;
    };
    expect(validateBatch("items", [1, 2], check)).toEqual([2, 4]);
    expect(() => validateBatch("items", [1, 2, -3], check)).toThrow(
      expect.objectContaining({ field: "items[2].value" }),
    );
  });
});

describe("validateObjectBatch", () => {
  it("refuses a non-array and non-object items by position, then validates like validateBatch", () => {
    const check = (item: unknown) => {
      const { n } = item as { n: number };
      if (n < 0) throw new ValidationError("n", "must not be negative", n);
      return n;
    };
    expect(validateObjectBatch("items", [{ n: 1 }, { n: 2 }], check)).toEqual([1, 2]);
    expect(() => validateObjectBatch("items", "nope", check)).toThrow(
      expect.objectContaining({ field: "items", reason: "must be an array" }),
    );
    for (const bad of [null, [], 3, "x"]) {
      expect(() => validateObjectBatch("items", [{ n: 1 }, bad], check)).toThrow(
        expect.objectContaining({ field: "items[1]", reason: "must be an object" }),
      );
    }
    expect(() => validateObjectBatch("items", [{ n: -1 }, null], check)).toThrow(
      expect.objectContaining({ field: "items[0].n" }),
    );
  });
});
