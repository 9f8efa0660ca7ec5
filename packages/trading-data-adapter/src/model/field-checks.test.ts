import {
  checkDate,
  checkEnum,
  checkFreeText,
  checkText,
  checkUuid,
  ValidationError,
  validateObjectBatch,
} from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { checkAmount, checkJsonObject } from "./field-checks.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("checkAmount", () => {
  it("returns the rounded value and normalises -0", () => {
    expect(checkAmount("q", 0.123456789, "positive")).toBe(0.12345679);
    expect(Object.is(checkAmount("q", -0, "any"), 0)).toBe(true);
    expect(Object.is(checkAmount("q", -1e-10, "any"), 0)).toBe(true);
    expect(checkAmount("pnl", -5.5, "any")).toBe(-5.5);
  });

  it("refuses non-finite values, values too large for numeric(20,8), and broken signs", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, "1", null, undefined]) {
      expect(fieldOf(() => checkAmount("q", value, "any"))).toBe("q");
    }
    expect(checkAmount("q", -999_999_999_999.5, "any")).toBe(-999_999_999_999.5);
    expect(fieldOf(() => checkAmount("q", 1e12, "any"))).toBe("q");
    expect(fieldOf(() => checkAmount("q", -1e12, "any"))).toBe("q");
    expect(fieldOf(() => checkAmount("q", 0, "positive"))).toBe("q");
    expect(fieldOf(() => checkAmount("q", 4e-9, "positive"))).toBe("q");
    expect(fieldOf(() => checkAmount("q", -0.01, "non-negative"))).toBe("q");
    expect(checkAmount("q", 0, "non-negative")).toBe(0);
  });
});

describe("field checks", () => {
  it("checkDate copies a valid Date and refuses anything else", () => {
    const date = new Date(1_000);
    const copy = checkDate("t", date);
    expect(copy).toEqual(date);
    expect(copy).not.toBe(date);
    for (const value of [new Date(Number.NaN), 1_000, "2025-01-01", undefined]) {
      expect(fieldOf(() => checkDate("t", value))).toBe("t");
    }
  });

  it("checkText / checkFreeText bound length and refuse NUL", () => {
    expect(checkText("name", "a", 3)).toBe("a");
    expect(fieldOf(() => checkText("name", "", 3))).toBe("name");
    expect(fieldOf(() => checkText("name", "abcd", 3))).toBe("name");
    expect(fieldOf(() => checkText("name", "a\0", 3))).toBe("name");
    expect(checkFreeText("reason", "", 3)).toBe("");
    expect(fieldOf(() => checkFreeText("reason", undefined, 3))).toBe("reason");
  });

  it("checkUuid lower-cases and refuses non-UUIDs", () => {
    expect(checkUuid("id", "ABCDEF01-2345-4678-9ABC-DEF012345678")).toBe(
      "abcdef01-2345-4678-9abc-def012345678",
    );
    expect(fieldOf(() => checkUuid("id", "abcdef01-2345-4678-9abc-def01234567"))).toBe("id");
  });

  it("checkEnum accepts only the listed values", () => {
    expect(checkEnum("side", "buy", ["buy", "sell"])).toBe("buy");
    expect(fieldOf(() => checkEnum("side", "BUY", ["buy", "sell"]))).toBe("side");
  });

  it("checkJsonObject returns a deeply frozen copy and refuses non-JSON", () => {
    const input = { a: { b: [1, { c: "x" }] }, skip: undefined };
    const copy = checkJsonObject("p", input);
    expect(copy).toEqual({ a: { b: [1, { c: "x" }] } });
    expect(copy).not.toHaveProperty("skip");
    expect(Object.isFrozen(copy)).toBe(true);
    expect(Object.isFrozen((copy.a as { b: unknown[] }).b)).toBe(true);
    input.a.b.push(2);
    expect(copy).toEqual({ a: { b: [1, { c: "x" }] } });
    for (const bad of [[], null, "x", { d: new Date() }, { n: Number.NaN }, { s: "\0" }]) {
      expect(fieldOf(() => checkJsonObject("p", bad))).toBe("p");
    }
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(fieldOf(() => checkJsonObject("p", deep))).toBe("p");
  });

  it("checkJsonObject refuses lone surrogates (jsonb does), in values and keys, and keeps pairs", () => {
    const emoji = { "😀": ["😀", { nested: "a😀b" }] };
    expect(checkJsonObject("p", emoji)).toEqual(emoji);
    for (const bad of [
      { s: "\ud800" },
      { s: "a\udc00b" },
      { s: ["ok", "😀".slice(0, 1)] },
      { s: "😀".slice(1) },
      { "\ud83d": 1 },
      { k: { "\0": 1 } },
    ]) {
      expect(fieldOf(() => checkJsonObject("p", bad))).toBe("p");
    }
    expect(() => checkJsonObject("p", { s: "\udfff" })).toThrow(
      /^p must not contain a lone surrogate/,
    );
  });

  it("validateObjectBatch names the position of the first bad item", () => {
    const positive = (item: unknown) =>
      checkAmount("value", (item as { value: unknown }).value, "positive");
    expect(validateObjectBatch("rows", [{ value: 1 }, { value: 2 }], positive)).toEqual([1, 2]);
    expect(fieldOf(() => validateObjectBatch("rows", [{ value: 1 }, { value: 0 }], positive))).toBe(
      "rows[1].value",
    );
    expect(fieldOf(() => validateObjectBatch("rows", [{ value: 1 }, null], positive))).toBe(
      "rows[1]",
    );
    expect(fieldOf(() => validateObjectBatch("rows", "nope", positive))).toBe("rows");
  });
});
