import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { sampleOrder, sampleTrade } from "../contract/trading-samples.js";
import { type TradeRecord, validateTrade } from "./trade.js";

const order = sampleOrder(1, "s1");

function fieldOf(input: Partial<Record<keyof TradeRecord, unknown>>): string | undefined {
  try {
    validateTrade({ ...sampleTrade(1, order), ...input } as TradeRecord);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("validateTrade", () => {
  it("returns a frozen, rounded copy with ids in lower case", () => {
    const input = sampleTrade(1, order, {
      tradeId: "ABCDEF01-2345-4678-9ABC-DEF012345678",
      price: 1.999999999,
    });
    const record = validateTrade(input);
    expect(record).toEqual({ ...input, tradeId: input.tradeId.toLowerCase(), price: 2 });
    expect(Object.isFrozen(record)).toBe(true);
    expect(validateTrade(record)).toBe(record);
    expect(validateTrade(sampleTrade(1, sampleOrder(1, null)))).not.toHaveProperty("strategyId");
  });

  it.each<[string, Partial<Record<keyof TradeRecord, unknown>>, string]>([
    ["a malformed trade id", { tradeId: "x" }, "tradeId"],
    ["a malformed order id", { orderId: undefined }, "orderId"],
    ["a malformed strategy id", { strategyId: "" }, "strategyId"],
    ["a malformed instrument", { instrument: "" }, "instrument"],
    ["an unknown side", { side: "long" }, "side"],
    ["a zero price", { price: 0 }, "price"],
    ["a NaN quantity", { quantity: Number.NaN }, "quantity"],
    ["a negative fee", { fee: -0.00000001 }, "fee"],
    ["an unknown liquidity", { liquidity: "both" }, "liquidity"],
    ["an invalid timestamp", { timestamp: new Date(Number.NaN) }, "timestamp"],
  ])("refuses %s", (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });
});
