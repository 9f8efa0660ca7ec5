import { describe, expect, it } from "vitest";
import { type Fill, IllegalOrderTransitionError, Order, type OrderSpec } from "./order.js";

const T0 = Date.UTC(2026, 10, 23);

function limitOrder(overrides: Partial<OrderSpec> = {}): Order {
  return new Order({
    id: "o-1",
    clientOrderId: "c-1",
    strategyId: "s-1",
    instrument: "BTC-USD",
    side: "buy",
    type: "limit",
    quantity: 2,
    limitPrice: 100,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    ...overrides,
  });
}

function fill(quantity: number, price: number, at: number, overrides: Partial<Fill> = {}): Fill {
  return {
    id: `f-${at}`,
    orderId: "o-1",
    strategyId: "s-1",
    instrument: "BTC-USD",
    side: "buy",
    price,
    quantity,
    fee: 0.1,
    liquidity: "maker",
    timestamp: at,
    ...overrides,
  };
}

describe("Order", () => {
  it("walks pending → submitted → accepted → partially filled → filled with every timestamp", () => {
    const order = limitOrder();
    order.submit(T0 + 1);
    order.accept(T0 + 2);
    order.fill(fill(0.5, 99, T0 + 3));
    order.fill(fill(0.5, 101, T0 + 4));
    expect(order.snapshot()).toMatchObject({
      status: "partially_filled",
      filledQuantity: 1,
      averageFillPrice: 100,
      partiallyFilledAt: T0 + 3,
    });
    order.fill(fill(1, 100.5, T0 + 5));
    expect(order.snapshot()).toMatchObject({
      status: "filled",
      filledQuantity: 2,
      averageFillPrice: 100.25,
      fees: 0.3,
      submittedAt: T0 + 1,
      acceptedAt: T0 + 2,
      partiallyFilledAt: T0 + 3,
      filledAt: T0 + 5,
      updatedAt: T0 + 5,
    });
    expect(order.snapshot().fills).toHaveLength(3);
    expect(order.isOpen).toBe(false);
    expect(order.remaining).toBe(0);
  });

  it.each([
    ["fill a pending order", (o: Order) => o.fill(fill(1, 100, T0))],
    ["accept before submitting", (o: Order) => o.accept(T0)],
    ["expire a pending order", (o: Order) => o.expire(T0 + 60_000)],
  ])("refuses to %s and changes nothing", (_name, act) => {
    const order = limitOrder();
    expect(() => act(order)).toThrow(IllegalOrderTransitionError);
    expect(order.snapshot().status).toBe("pending");
  });

  it("keeps terminal statuses terminal", () => {
    const cancelled = limitOrder();
    cancelled.cancel(T0 + 1, "by hand");
    expect(cancelled.snapshot()).toMatchObject({
      status: "cancelled",
      statusReason: "by hand",
      cancelledAt: T0 + 1,
    });
    expect(() => cancelled.submit(T0 + 2)).toThrow(IllegalOrderTransitionError);
    expect(() => cancelled.cancel(T0 + 2, "again")).toThrow(IllegalOrderTransitionError);

    const rejected = limitOrder();
    rejected.reject(T0 + 1, "max position size exceeded");
    expect(() => rejected.submit(T0 + 2)).toThrow(IllegalOrderTransitionError);
    expect(rejected.snapshot().rejectedAt).toBe(T0 + 1);
  });

  it("expires a working order only once its time has come", () => {
    const order = limitOrder();
    order.submit(T0);
    order.accept(T0);
    expect(() => order.expire(T0 + 59_999)).toThrow(IllegalOrderTransitionError);
    order.expire(T0 + 60_000);
    expect(order.snapshot()).toMatchObject({ status: "expired", expiredAt: T0 + 60_000 });
  });

  it("refuses overfills, foreign fills and bad specs", () => {
    const order = limitOrder();
    order.submit(T0);
    order.accept(T0);
    expect(() => order.fill(fill(2.5, 100, T0))).toThrow(/exceeds/);
    expect(() => order.fill(fill(1, 100, T0, { orderId: "o-2" }))).toThrow(/does not belong/);
    expect(() => order.fill(fill(1, 100, T0, { side: "sell" }))).toThrow(/does not belong/);
    expect(() => order.fill(fill(1, 0, T0))).toThrow(IllegalOrderTransitionError);
    expect(order.snapshot().filledQuantity).toBe(0);
    expect(() => limitOrder({ quantity: 0 })).toThrow(RangeError);
    expect(() => limitOrder({ limitPrice: Number.NaN })).toThrow(RangeError);
    expect(() => limitOrder({ type: "market" })).toThrow(/no limit price/);
  });

  it("restores from a snapshot and carries on", () => {
    const order = limitOrder();
    order.submit(T0);
    order.accept(T0);
    order.fill(fill(1, 100, T0 + 1));
    const restored = Order.restore(order.snapshot());
    restored.fill(fill(1, 102, T0 + 2));
    expect(restored.snapshot()).toMatchObject({ status: "filled", averageFillPrice: 101 });
  });
});
