import { describe, expect, it } from "vitest";
import { validateSymbol } from "./symbol.js";
import { ValidationError } from "./validation-error.js";

describe("validateSymbol", () => {
  it("returns a pair of 2-10 upper-case alphanumerics joined by '-' as it is", () => {
    for (const symbol of ["BTC-USD", "ETH-USDT", "AB-1234567890"]) {
      expect(validateSymbol(symbol)).toBe(symbol);
    }
  });

  it("refuses other spellings and non-strings with a ValidationError naming the field", () => {
    for (const value of [
      "btc-usd",
      "BTCUSD",
      "B-USD",
      "BTC-USD-X",
      "ABCDEFGHIJK-USD",
      42,
      undefined,
    ]) {
      expect(() => validateSymbol(value, "instrument")).toThrow(ValidationError);
    }
    expect(() => validateSymbol("btc-usd", "instrument")).toThrow(/instrument/);
  });
});
