import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { validateMarketSymbolInput, validateSymbol } from "./market-symbol.js";

describe("validateSymbol", () => {
  it.each(["BTC-USD", "ETH-USDT", "AB-CD", "ABCDEFGHIJ-1234567890", "1INCH-USD"])(
    "accepts %s",
    (symbol) => {
      expect(validateSymbol(symbol)).toBe(symbol);
    },
  );

  it.each(["btc-usd", "BTCUSD", "B-USD", "BTC-", "ABCDEFGHIJK-USD", "BTC_USD", "BTC-USD ", "", 42])(
    "refuses %j",
    (symbol) => {
      expect(() => validateSymbol(symbol)).toThrow(ValidationError);
    },
  );
});

describe("validateMarketSymbolInput", () => {
  const input = {
    symbol: "SOL-EUR",
    minPriceMovement: 0.001,
    minOrderSize: 0.1,
    maxOrderSize: 100,
  };

  it("derives base, quote and display name, and defaults to active", () => {
    expect(validateMarketSymbolInput(input)).toEqual({
      ...input,
      baseCurrency: "SOL",
      quoteCurrency: "EUR",
      displayName: "SOL/EUR",
      isActive: true,
      metadata: {},
    });
  });

  it("refuses currencies that disagree with the symbol", () => {
    expect(() => validateMarketSymbolInput({ ...input, quoteCurrency: "USD" })).toThrow(
      /quoteCurrency must be EUR/,
    );
  });
});
