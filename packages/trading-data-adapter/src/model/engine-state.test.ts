import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { at, sampleEngineState } from "../contract/trading-samples.js";
import {
  ENGINE_STATE_KEY_PATTERN,
  type EngineStateRecord,
  isEngineStateKey,
  MAX_ENGINE_STATE_BYTES,
  validateEngineState,
} from "./engine-state.js";

function fieldOf(input: Partial<Record<keyof EngineStateRecord, unknown>>): string | undefined {
  try {
    validateEngineState({ ...sampleEngineState(), ...input } as EngineStateRecord);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

/** A value whose JSON text is exactly `bytes` UTF-8 bytes long. */
function valueOfBytes(bytes: number, filler = "x"): Record<string, unknown> {
  // `{"s":""}` is 8 bytes; the filler's UTF-8 length divides what is left.
  const fillerBytes = Buffer.byteLength(filler, "utf8");
  const value = { s: filler.repeat(Math.floor((bytes - 8) / fillerBytes)) };
  if (Buffer.byteLength(JSON.stringify(value), "utf8") !== bytes) {
    throw new Error(`no value of ${bytes} bytes made of ${filler}`);
  }
  return value;
}

describe("validateEngineState", () => {
  it("returns a frozen copy, its value deeply frozen and detached from the input", () => {
    const value = { limits: { maxDrawdownPct: 5, instruments: ["BTC-USD"] }, note: undefined };
    const updatedAt = at(1);
    const input = sampleEngineState("risk_limits", { value, updatedAt });
    const record = validateEngineState(input);
    expect(record).toStrictEqual({
      key: "risk_limits",
      value: { limits: { maxDrawdownPct: 5, instruments: ["BTC-USD"] } },
      updatedAt: at(1),
    });
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record.value)).toBe(true);
    expect(Object.isFrozen(record.value.limits)).toBe(true);
    value.limits.maxDrawdownPct = 50;
    updatedAt.setTime(0);
    expect(record.value).toEqual({ limits: { maxDrawdownPct: 5, instruments: ["BTC-USD"] } });
    expect(record.updatedAt).toEqual(at(1));
    expect(validateEngineState(record)).toBe(record);
  });

  it("accepts keys of 1 to 63 characters of a-z, 0-9 and _ starting with a letter", () => {
    for (const key of ["a", "circuit_breaker", "risk_limits_v2", `a${"b_9".repeat(20)}zz`]) {
      expect(isEngineStateKey(key)).toBe(true);
      expect(validateEngineState(sampleEngineState(key)).key).toBe(key);
    }
    expect(`a${"b_9".repeat(20)}zz`).toHaveLength(63);
    expect(ENGINE_STATE_KEY_PATTERN.test("a".repeat(64))).toBe(false);
    expect(isEngineStateKey(undefined)).toBe(false);
  });

  it("accepts a value of exactly 64 KiB of JSON, counting UTF-8 bytes", () => {
    expect(MAX_ENGINE_STATE_BYTES).toBe(64 * 1024);
    expect(() =>
      validateEngineState(sampleEngineState("big", { value: valueOfBytes(65_536) })),
    ).not.toThrow();
    // 3 bytes per character in UTF-8: fewer characters than bytes.
    expect(() =>
      validateEngineState(sampleEngineState("big", { value: valueOfBytes(65_534, "€") })),
    ).not.toThrow();
    expect(validateEngineState(sampleEngineState("empty", { value: {} })).value).toEqual({});
  });

  it.each<[string, Partial<Record<keyof EngineStateRecord, unknown>>, string]>([
    ["an empty key", { key: "" }, "key"],
    ["a key with an upper-case letter", { key: "circuitBreaker" }, "key"],
    ["a key starting with a digit", { key: "1st" }, "key"],
    ["a key starting with an underscore", { key: "_breaker" }, "key"],
    ["a key with a dash", { key: "circuit-breaker" }, "key"],
    ["a key with a trailing newline", { key: "breaker\n" }, "key"],
    ["a key of 64 characters", { key: "a".repeat(64) }, "key"],
    ["a key that is not a string", { key: 7 }, "key"],
    ["an array value", { value: [1, 2] }, "value"],
    ["a null value", { value: null }, "value"],
    ["a string value", { value: "engaged" }, "value"],
    ["a value that is a Date", { value: new Date() }, "value"],
    ["a value holding a Date", { value: { at: new Date() } }, "value"],
    ["a value holding NaN", { value: { drawdown: Number.NaN } }, "value"],
    ["a value holding NUL", { value: { reason: "a\u0000b" } }, "value"],
    ["a value holding a lone surrogate", { value: { reason: "\ud800" } }, "value"],
    ["a value of 64 KiB and 1 byte of JSON", { value: valueOfBytes(65_537) }, "value"],
    [
      "a value of 64 KiB and 2 bytes of 2-byte characters",
      { value: valueOfBytes(65_538, "é") },
      "value",
    ],
    ["an invalid updatedAt", { updatedAt: new Date(Number.NaN) }, "updatedAt"],
    ["a missing updatedAt", { updatedAt: undefined }, "updatedAt"],
    ["an updatedAt that is a number", { updatedAt: 1 }, "updatedAt"],
  ])("refuses %s", (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });

  it("says how big a too big value is", () => {
    expect(() =>
      validateEngineState(sampleEngineState("big", { value: valueOfBytes(70_000) })),
    ).toThrow(/^value must be at most 65536 bytes of JSON \(is 70000\)/);
  });
});
