import { describe, expect, it } from "vitest";
import { qualifiedName, quoteIdentifier } from "./sql-identifier.js";

describe("quoteIdentifier", () => {
  it.each([
    ["market_data_sim_001", '"market_data_sim_001"'],
    ["public", '"public"'],
    ['a"b', '"a""b"'],
    ['"', '""""'],
    ['a";drop table x;--', '"a"";drop table x;--"'],
    ["Mixed Case", '"Mixed Case"'],
    ["0x", '"0x"'],
    ["é".repeat(31), `"${"é".repeat(31)}"`],
    ["p".repeat(63), `"${"p".repeat(63)}"`],
  ])("%j → %s", (input, quoted) => {
    expect(quoteIdentifier(input)).toBe(quoted);
  });

  it.each([
    ["", /must not be empty/],
    ["a\0b", /must not contain NUL/],
    ["a\ud800b", /lone surrogate/],
    ["p".repeat(64), /at most 63 bytes \(has 64\)/],
    ["é".repeat(32), /at most 63 bytes \(has 64\)/],
  ])("rejects %j", (input, message) => {
    expect(() => quoteIdentifier(input)).toThrow(RangeError);
    expect(() => quoteIdentifier(input)).toThrow(message);
  });
});

describe("qualifiedName", () => {
  it.each([
    ["market_data_sim_001", "candles", '"market_data_sim_001"."candles"'],
    ["public", "orders", '"public"."orders"'],
    ['s"x', 't"y', '"s""x"."t""y"'],
  ])("%s + %s → %s", (schema, table, qualified) => {
    expect(qualifiedName(schema, table)).toBe(qualified);
  });

  it("rejects an invalid part", () => {
    expect(() => qualifiedName("", "t")).toThrow(RangeError);
    expect(() => qualifiedName("s", "")).toThrow(RangeError);
  });
});
