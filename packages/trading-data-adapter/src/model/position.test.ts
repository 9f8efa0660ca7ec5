import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { at, samplePosition } from "../contract/trading-samples.js";
import { type PositionRecord, positionKey, validatePosition } from "./position.js";

function fieldOf(input: Partial<Record<keyof PositionRecord, unknown>>): string | undefined {
  try {
    validatePosition({ ...samplePosition(), ...input } as PositionRecord);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("validatePosition", () => {
  it("accepts a short position with a realized loss, rounded, frozen", () => {
    const input = samplePosition("s1", "ETH-USD", {
      quantity: -2.123456789,
      realizedPnl: -1_000.000000005,
      openedAt: at(3),
    });
    const record = validatePosition(input);
    expect(record).toEqual({ ...input, quantity: -2.12345679, realizedPnl: -1_000.00000001 });
    expect(Object.isFrozen(record)).toBe(true);
    expect(validatePosition(record)).toBe(record);
    expect(validatePosition(samplePosition())).not.toHaveProperty("openedAt");
  });

  it.each<[string, Partial<Record<keyof PositionRecord, unknown>>, string]>([
    ["a malformed strategy id", { strategyId: "a/b" }, "strategyId"],
    ["a malformed instrument", { instrument: "BTC" }, "instrument"],
    ["a quantity too large", { quantity: -1e12 }, "quantity"],
    ["a negative average entry price", { averageEntryPrice: -0.5 }, "averageEntryPrice"],
    ["an infinite realized PnL", { realizedPnl: Number.NEGATIVE_INFINITY }, "realizedPnl"],
    ["negative fees paid", { feesPaid: -1 }, "feesPaid"],
    ["an invalid openedAt", { openedAt: "now" }, "openedAt"],
    ["an invalid updatedAt", { updatedAt: new Date(Number.NaN) }, "updatedAt"],
  ])("refuses %s", (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it("keys positions by strategy and instrument", () => {
    expect(positionKey(samplePosition("a", "BTC-USD"))).toBe(positionKey(samplePosition("a")));
    expect(positionKey(samplePosition("a", "ETH-USD"))).not.toBe(positionKey(samplePosition("a")));
  });
});
