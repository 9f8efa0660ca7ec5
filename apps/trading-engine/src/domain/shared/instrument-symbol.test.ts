import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isInstrumentSymbol } from "./instrument-symbol.js";

const ASSET = fc.stringMatching(/^[A-Z0-9]{2,10}$/);

describe("isInstrumentSymbol", () => {
  it("accepts a base and a quote asset joined by a dash", () => {
    expect(isInstrumentSymbol("BTC-USD")).toBe(true);
    expect(isInstrumentSymbol("1INCH-USDT")).toBe(true);
  });

  it("accepts every pair of 2–10 upper-case letters or digits", () => {
    fc.assert(
      fc.property(ASSET, ASSET, (base, quote) => {
        expect(isInstrumentSymbol(`${base}-${quote}`)).toBe(true);
      }),
    );
  });

  it.each([
    ["lower case", "btc-usd"],
    ["no dash", "BTCUSD"],
    ["a one-character asset", "B-USD"],
    ["an asset over 10 characters", "ABCDEFGHIJK-USD"],
    ["a second dash", "BTC-USD-PERP"],
    ["a slash", "BTC/USD"],
    ["surrounding space", " BTC-USD"],
    ["a trailing newline", "BTC-USD\n"],
    ["the empty string", ""],
  ])("refuses %s", (_, value) => {
    expect(isInstrumentSymbol(value)).toBe(false);
  });

  it("accepts nothing longer than 21 characters", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 22, maxLength: 40 }), (value) => {
        expect(isInstrumentSymbol(value)).toBe(false);
      }),
    );
  });
});
