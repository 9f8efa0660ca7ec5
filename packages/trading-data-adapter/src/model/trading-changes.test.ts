import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import {
  at,
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
} from "../contract/trading-samples.js";
import { countChanges, type TradingChanges, validateTradingChanges } from "./trading-changes.js";

describe("validateTradingChanges", () => {
  it("fills absent lists and keeps the last record per key, the first per trade id", () => {
    const v1 = sampleOrder(1, "s1", { status: "submitted" });
    const v2 = sampleOrder(1, "s1", { status: "accepted" });
    const other = sampleOrder(2, "s1");
    const trade = sampleTrade(1, v1);
    const valid = validateTradingChanges({
      orders: [v1, other, v2],
      trades: [trade, { ...trade, price: 1 }, sampleTrade(2, v1)],
      positions: [samplePosition("s1", "BTC-USD", { quantity: 1 }), samplePosition("s1")],
    });
    expect(valid.strategies).toEqual([]);
    expect(valid.orders.map((o) => [o.orderId, o.status])).toEqual([
      [other.orderId, "pending"],
      [v1.orderId, "accepted"],
    ]);
    expect(valid.trades.map((t) => t.price)).toEqual([trade.price, trade.price]);
    expect(valid.positions).toEqual([samplePosition("s1")]);
    expect(valid.engineState).toEqual([]);
    expect(countChanges(valid)).toBe(5);
  });

  it("keeps the last engine state record of a key, validated, and counts it", () => {
    const engaged = sampleEngineState("circuit_breaker");
    const released = sampleEngineState("circuit_breaker", {
      value: { engaged: false },
      updatedAt: at(30),
    });
    const limits = sampleEngineState("risk_limits", { value: { maxDrawdownPct: 4 } });
    const valid = validateTradingChanges({
      engineState: [engaged, limits, released],
      positions: [samplePosition("s1")],
    });
    expect(valid.engineState).toStrictEqual([limits, released]);
    expect(Object.isFrozen(valid.engineState[0])).toBe(true);
    expect(countChanges(valid)).toBe(3);
    expect(countChanges({ engineState: [engaged, released] })).toBe(2);
  });

  it("names the engine state record and field that is bad", () => {
    const field = (changes: TradingChanges) => {
      try {
        validateTradingChanges(changes);
      } catch (e) {
        if (e instanceof ValidationError) return e.field;
        throw e;
      }
      return undefined;
    };
    expect(field({ engineState: [sampleEngineState("a"), sampleEngineState("Bad-Key")] })).toBe(
      "engineState[1].key",
    );
    expect(
      field({
        engineState: [sampleEngineState("a", { value: [] as unknown as Record<string, unknown> })],
      }),
    ).toBe("engineState[0].value");
    expect(field({ engineState: [null as unknown as ReturnType<typeof sampleEngineState>] })).toBe(
      "engineState[0]",
    );
    expect(field({ engineState: {} as unknown as [] })).toBe("engineState");
  });

  it("names the list, the position and the field of the first bad record", () => {
    const bad: TradingChanges = {
      strategies: [sampleStrategy("s1")],
      orders: [
        sampleOrder(1),
        sampleOrder(2),
        sampleOrder(3),
        sampleOrder(4, "s1", { quantity: -1 }),
      ],
    };
    const error = (() => {
      try {
        validateTradingChanges(bad);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("orders[3].quantity");
    expect((error as ValidationError).message).toContain(
      "orders[3].quantity must be greater than 0",
    );
  });

  it("refuses a list that is not an array, and changes that are not an object", () => {
    expect(() => validateTradingChanges({ trades: {} } as unknown as TradingChanges)).toThrow(
      /^trades must be an array/,
    );
    expect(() => validateTradingChanges(null as unknown as TradingChanges)).toThrow(
      ValidationError,
    );
  });
});
