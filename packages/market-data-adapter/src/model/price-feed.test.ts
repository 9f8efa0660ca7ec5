import type { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { validatePriceFeed } from "./price-feed.js";

const input = {
  symbol: "BTC-USD",
  price: 100,
  bid: 99,
  ask: 101,
  volume24h: 5,
  timestamp: new Date(0),
};

describe("validatePriceFeed", () => {
  it("assigns an id, defaults the source and lower-cases a given id", () => {
    const feed = validatePriceFeed(input);
    expect(feed.feedId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(feed.source).toBe("simulator");
    const id = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11";
    expect(validatePriceFeed({ ...input, feedId: id }).feedId).toBe(id.toLowerCase());
  });

  it("returns a frozen record, that record itself when given it again, and checks look-alikes", () => {
    const feed = validatePriceFeed(input);
    expect(Object.isFrozen(feed)).toBe(true);
    expect(validatePriceFeed(feed)).toBe(feed);
    expect(validatePriceFeed({ ...feed })).not.toBe(feed);
    const forged = Object.setPrototypeOf({ ...feed, bid: 102 }, Object.getPrototypeOf(feed));
    expect(() => validatePriceFeed(forged)).toThrow(
      expect.objectContaining({ field: "bid" }) as unknown as ValidationError,
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ["price", { price: 0 }],
    ["price", { price: Number.NaN }],
    ["bid", { bid: 102 }],
    ["volume24h", { volume24h: Number.POSITIVE_INFINITY }],
    ["timestamp", { timestamp: "2025-01-01" }],
    ["source", { source: "x".repeat(51) }],
  ])("refuses a bad %s", (field, overrides) => {
    expect(() => validatePriceFeed({ ...input, ...overrides } as typeof input)).toThrow(
      expect.objectContaining({ name: "ValidationError", field }) as unknown as ValidationError,
    );
  });
});
