import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { at, sampleStrategy } from "../contract/trading-samples.js";
import { type StrategyRecord, validateStrategy, validateStrategyId } from "./strategy.js";

function fieldOf(input: Partial<Record<keyof StrategyRecord, unknown>>): string | undefined {
  try {
    validateStrategy({ ...sampleStrategy(), ...input } as StrategyRecord);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("validateStrategy", () => {
  it("returns a frozen copy with metadata defaulted, and the same record when given it", () => {
    const input = sampleStrategy("s1", { startedAt: at(1) });
    const record = validateStrategy(input);
    expect(record).toEqual({ ...input, metadata: {} });
    expect(record).not.toBe(input);
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record.instruments)).toBe(true);
    expect(record.startedAt).not.toBe(input.startedAt);
    expect(record).not.toHaveProperty("stoppedAt");
    expect(validateStrategy(record)).toBe(record);
  });

  it.each([
    ["", "strategyId"],
    ["a".repeat(65), "strategyId"],
    ["a.b", "strategyId"],
    ["é", "strategyId"],
  ])("refuses the strategy id %j", (strategyId, field) => {
    expect(fieldOf({ strategyId })).toBe(field);
  });

  it("accepts ids of 1 to 64 letters, digits, '_' and '-'", () => {
    for (const id of ["a", "A-Z_09", "x".repeat(64)]) expect(validateStrategyId(id)).toBe(id);
  });

  it.each<[string, Partial<Record<keyof StrategyRecord, unknown>>, string]>([
    ["an empty name", { name: "" }, "name"],
    ["an unknown type", { type: "arbitrage" }, "type"],
    ["an unknown status", { status: "running" }, "status"],
    ["no instruments", { instruments: [] }, "instruments"],
    ["instruments that are not an array", { instruments: "BTC-USD" }, "instruments"],
    ["a malformed instrument", { instruments: ["BTC-USD", "btc"] }, "instruments[1]"],
    ["a repeated instrument", { instruments: ["BTC-USD", "BTC-USD"] }, "instruments[1]"],
    ["parameters that are not an object", { parameters: [1] }, "parameters"],
    ["limits that are not JSON", { limits: { f: () => 1 } }, "limits"],
    ["metadata that is not an object", { metadata: "x" }, "metadata"],
    ["a missing status reason", { statusReason: undefined }, "statusReason"],
    ["an invalid createdAt", { createdAt: new Date(Number.NaN) }, "createdAt"],
    ["a numeric updatedAt", { updatedAt: 5 }, "updatedAt"],
    ["an invalid startedAt", { startedAt: "yesterday" }, "startedAt"],
    ["an invalid stoppedAt", { stoppedAt: new Date(Number.NaN) }, "stoppedAt"],
  ])("refuses %s", (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it("refuses what is not an object", () => {
    expect(() => validateStrategy(null as unknown as StrategyRecord)).toThrow(ValidationError);
  });
});
