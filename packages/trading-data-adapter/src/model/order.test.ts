import { ValidationError } from "@tse/field-checks";
import { describe, expect, it } from "vitest";
import { at, sampleOrder } from "../contract/trading-samples.js";
import { isOpenOrderStatus, ORDER_STATUSES, type OrderRecord, validateOrder } from "./order.js";

function fieldOf(input: Partial<Record<keyof OrderRecord, unknown>>): string | undefined {
  try {
    validateOrder({ ...sampleOrder(1), ...input } as OrderRecord);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("validateOrder", () => {
  it("returns a frozen, rounded copy with the id in lower case", () => {
    const input = sampleOrder(1, "s1", {
      orderId: "ABCDEF01-2345-4678-9ABC-DEF012345678",
      type: "limit",
      limitPrice: 100.123456789,
      quantity: 2.000000004,
      filledQuantity: 2,
      filledAt: at(5),
    });
    const record = validateOrder(input);
    expect(record).toEqual({
      ...input,
      orderId: "abcdef01-2345-4678-9abc-def012345678",
      limitPrice: 100.12345679,
      quantity: 2,
    });
    expect(Object.isFrozen(record)).toBe(true);
    expect(record.filledAt).not.toBe(input.filledAt);
    expect(validateOrder(record)).toBe(record);
  });

  it("keeps unset optional fields absent", () => {
    const record = validateOrder(sampleOrder(1, null));
    for (const field of ["strategyId", "limitPrice", "submittedAt", "expiredAt"]) {
      expect(record).not.toHaveProperty(field);
    }
  });

  it("compares the filled quantity with the quantity after rounding", () => {
    expect(
      validateOrder(sampleOrder(1, "s1", { quantity: 1, filledQuantity: 1.000000004 }))
        .filledQuantity,
    ).toBe(1);
    expect(fieldOf({ quantity: 1, filledQuantity: 1.000000005 })).toBe("filledQuantity");
  });

  it.each<[string, Partial<Record<keyof OrderRecord, unknown>>, string]>([
    ["a malformed order id", { orderId: "1" }, "orderId"],
    ["an empty client order id", { clientOrderId: "" }, "clientOrderId"],
    ["a too long client order id", { clientOrderId: "c".repeat(129) }, "clientOrderId"],
    ["a malformed strategy id", { strategyId: "a b" }, "strategyId"],
    ["a malformed instrument", { instrument: "BTCUSD" }, "instrument"],
    ["an unknown side", { side: "short" }, "side"],
    ["an unknown type", { type: "stop" }, "type"],
    ["a zero quantity", { quantity: 0 }, "quantity"],
    ["a negative quantity", { quantity: -1 }, "quantity"],
    ["an infinite quantity", { quantity: Number.POSITIVE_INFINITY }, "quantity"],
    ["a quantity too large for numeric(20,8)", { quantity: 1e12 }, "quantity"],
    ["a limit order without a price", { type: "limit" }, "limitPrice"],
    ["a limit order with a zero price", { type: "limit", limitPrice: 0 }, "limitPrice"],
    ["a market order with a price", { limitPrice: 100 }, "limitPrice"],
    ["a negative fill", { filledQuantity: -0.1 }, "filledQuantity"],
    ["a fill above the quantity", { filledQuantity: 0.51 }, "filledQuantity"],
    ["a negative average fill price", { averageFillPrice: -1 }, "averageFillPrice"],
    ["negative fees", { fees: -1 }, "fees"],
    ["an unknown status", { status: "open" }, "status"],
    ["a status reason with NUL", { statusReason: "a\0" }, "statusReason"],
    ["an invalid createdAt", { createdAt: new Date(Number.NaN) }, "createdAt"],
    ["an invalid acceptedAt", { acceptedAt: 12 }, "acceptedAt"],
    ["an invalid expiredAt", { expiredAt: new Date(Number.NaN) }, "expiredAt"],
    ["a missing expiresAt", { expiresAt: undefined }, "expiresAt"],
    ["an invalid updatedAt", { updatedAt: null }, "updatedAt"],
  ])("refuses %s", (_, input, field) => {
    expect(fieldOf(input)).toBe(field);
  });
});

describe("isOpenOrderStatus", () => {
  it("is true exactly for pending, submitted, accepted and partially filled", () => {
    expect(ORDER_STATUSES.filter(isOpenOrderStatus)).toEqual([
      "pending",
      "submitted",
      "accepted",
      "partially_filled",
    ]);
  });
});
