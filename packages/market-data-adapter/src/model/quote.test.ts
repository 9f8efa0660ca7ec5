import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleQuote } from "../contract/quote-store.contract.js";
import {
  assertSymbol,
  fromQuoteRecord,
  parseQuoteJson,
  type Quote,
  QuoteValidationError,
  quoteFromFields,
  quoteToFields,
  serializeQuote,
  toQuoteRecord,
  validateQuote,
} from "./quote.js";

function rejection(quote: Quote): QuoteValidationError {
  try {
    validateQuote(quote);
  } catch (error) {
    if (error instanceof QuoteValidationError) return error;
    throw error;
  }
  throw new Error("expected a QuoteValidationError");
}

describe("validateQuote", () => {
  it("accepts a well-formed quote and returns it unchanged", () => {
    const quote = sampleQuote();
    expect(validateQuote(quote)).toBe(quote);
  });

  it.each([
    ["symbol", { symbol: "btc-usd" }],
    ["symbol", { symbol: "BTCUSD" }],
    ["symbol", { symbol: "B-USD" }],
    ["symbol", { symbol: "BTCBTCBTCBTC-USD" }],
    ["last", { last: 0 }],
    ["last", { last: -1 }],
    ["last", { last: Number.NaN }],
    ["bid", { bid: Number.POSITIVE_INFINITY }],
    ["ask", { ask: -5 }],
    ["high24h", { high24h: 0 }],
    ["low24h", { low24h: -1 }],
    ["bidSize", { bidSize: -0.1 }],
    ["askSize", { askSize: Number.NaN }],
    ["volume24h", { volume24h: -1 }],
    ["change24h", { change24h: Number.NEGATIVE_INFINITY }],
    ["changePercent24h", { changePercent24h: Number.NaN }],
    ["sequence", { sequence: -1 }],
    ["sequence", { sequence: 1.5 }],
    ["sequence", { sequence: 2 ** 53 }],
    ["timestamp", { timestamp: new Date(Number.NaN) }],
    ["ask", { bid: 100, ask: 100 }],
    ["ask", { bid: 101, ask: 100 }],
    ["low24h", { low24h: 70_000, high24h: 60_000 }],
  ] as const)("rejects a bad %s (%j)", (field, overrides) => {
    const error = rejection(sampleQuote(overrides as Partial<Quote>));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`invalid quote ${field}:`);
    expect(error.reason.length).toBeGreaterThan(0);
  });

  it("accepts negative 24h changes and zero sizes", () => {
    expect(() =>
      validateQuote(
        sampleQuote({ change24h: -10, changePercent24h: -5, bidSize: 0, volume24h: 0 }),
      ),
    ).not.toThrow();
  });

  it("checks symbols on their own", () => {
    expect(() => assertSymbol("ETH-USDT")).not.toThrow();
    expect(() => assertSymbol("ETH_USD")).toThrow(QuoteValidationError);
    expect(() => assertSymbol(42)).toThrow(QuoteValidationError);
  });
});

const quoteArbitrary = fc
  .record({
    base: fc.stringMatching(/^[A-Z0-9]{2,10}$/),
    counter: fc.stringMatching(/^[A-Z0-9]{2,10}$/),
    bid: fc.double({ min: 1e-8, max: 1e9, noNaN: true }),
    spread: fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
    size: fc.double({ min: 0, max: 1e6, noNaN: true }),
    change: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    sequence: fc.nat(),
    ms: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  })
  .map(
    ({ base, counter, bid, spread, size, change, sequence, ms }): Quote => ({
      symbol: `${base}-${counter}`,
      last: bid,
      bid,
      ask: bid + spread,
      bidSize: size,
      askSize: size,
      volume24h: size,
      change24h: change,
      changePercent24h: change / 100,
      high24h: bid + spread,
      low24h: bid,
      sequence,
      timestamp: new Date(ms),
    }),
  )
  .filter((quote) => quote.bid < quote.ask);

describe("quote wire forms", () => {
  it("uses snake_case record names and epoch-ms timestamps", () => {
    const record = toQuoteRecord(sampleQuote());
    expect(Object.keys(record)).toEqual([
      "symbol",
      "last",
      "bid",
      "ask",
      "bid_size",
      "ask_size",
      "volume_24h",
      "change_24h",
      "change_percent_24h",
      "high_24h",
      "low_24h",
      "sequence",
      "timestamp",
    ]);
    expect(record.timestamp).toBe(1_700_000_000_123);
  });

  it("round-trips JSON and stream fields exactly (property)", () => {
    fc.assert(
      fc.property(quoteArbitrary, (quote) => {
        // -0 is written as 0 (see toQuoteRecord); compare against that normal form.
        const normal = {
          ...quote,
          change24h: quote.change24h || 0,
          changePercent24h: quote.changePercent24h || 0,
        };
        expect(parseQuoteJson(serializeQuote(quote))).toEqual(normal);
        expect(quoteFromFields(quoteToFields(quote))).toEqual(normal);
      }),
    );
  });

  it("writes -0 as 0", () => {
    const quote = sampleQuote({ change24h: -0 });
    expect(Object.is(parseQuoteJson(serializeQuote(quote)).change24h, 0)).toBe(true);
  });

  it("rejects malformed input with the field named", () => {
    expect(() => parseQuoteJson("{not json")).toThrow(QuoteValidationError);
    expect(() => fromQuoteRecord([])).toThrow(/record/);
    const { bid: _bid, ...withoutBid } = toQuoteRecord(sampleQuote());
    expect(() => fromQuoteRecord(withoutBid)).toThrow(/invalid quote bid/);
    expect(() => fromQuoteRecord({ ...toQuoteRecord(sampleQuote()), ask: "1" })).toThrow(
      /invalid quote ask/,
    );
    expect(() => quoteFromFields({ ...quoteToFields(sampleQuote()), last: "" })).toThrow(
      /invalid quote last/,
    );
    expect(() => quoteFromFields({ ...quoteToFields(sampleQuote()), symbol: "x" })).toThrow(
      /invalid quote symbol/,
    );
  });
});
