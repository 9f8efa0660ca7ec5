import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { validateMarketSnapshot } from "./market-snapshot.js";

const input = {
  symbol: "BTC-USD",
  lastPrice: 100,
  bid: 99,
  ask: 101,
  spread: 2,
  volume24h: 5,
  priceChange24h: -3,
  priceChangePercent24h: -2.91262136,
  timestamp: new Date(0),
};

describe("validateMarketSnapshot", () => {
  it("rounds the percentage to 4 places and assigns an id", () => {
    const snapshot = validateMarketSnapshot(input);
    expect(snapshot.priceChangePercent24h).toBe(-2.9126);
    expect(snapshot.snapshotId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("returns a frozen record, that record itself when given it again, and checks look-alikes", () => {
    const snapshot = validateMarketSnapshot(input);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(validateMarketSnapshot(snapshot)).toBe(snapshot);
    expect(validateMarketSnapshot({ ...snapshot })).not.toBe(snapshot);
    const forged = Object.setPrototypeOf(
      { ...snapshot, spread: -1 },
      Object.getPrototypeOf(snapshot),
    );
    expect(() => validateMarketSnapshot(forged)).toThrow(ValidationError);
  });

  it("allows negative changes but not a negative spread", () => {
    expect(() => validateMarketSnapshot({ ...input, spread: -0.5 })).toThrow(ValidationError);
    expect(validateMarketSnapshot({ ...input, priceChange24h: -99.5 }).priceChange24h).toBe(-99.5);
  });
});
