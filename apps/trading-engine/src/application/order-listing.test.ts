import { describe, expect, it } from "vitest";
import {
  OPEN_ORDER_STATUSES,
  type OrderSnapshot,
  type OrderStatus,
} from "../domain/orders/order.js";
import { newestOrders } from "./order-listing.js";

const T0 = Date.UTC(2026, 10, 23);

function order(
  n: number,
  status: OrderStatus,
  overrides: Partial<OrderSnapshot> = {},
): OrderSnapshot {
  return {
    id: `order-${n}`,
    clientOrderId: `mm-0-${n}`,
    strategyId: "mm",
    instrument: "BTC-USD",
    side: "buy",
    type: "limit",
    quantity: 1,
    limitPrice: 100,
    createdAt: T0 + n,
    expiresAt: T0 + n + 60_000,
    filledQuantity: 0,
    averageFillPrice: 0,
    fees: 0,
    status,
    statusReason: "",
    updatedAt: T0 + n,
    fills: [],
    ...overrides,
  };
}

describe("newestOrders", () => {
  it("filters each order's newest state, not the stale copy a store listed", () => {
    // The store still has 1 and 2 as accepted; the engine cancelled 1 and filled 2 since, and
    // holds 3 open. The store's listing of open orders must not bring 1 and 2 back.
    const stored = [order(1, "accepted"), order(2, "accepted")];
    const engine = new Map([
      ["order-1", order(1, "cancelled")],
      ["order-2", order(2, "filled", { filledQuantity: 1 })],
      ["order-3", order(3, "accepted")],
    ]);
    const inMemoryOpen = [order(3, "accepted")];
    const open = newestOrders([...stored, ...inMemoryOpen], (id) => engine.get(id), {
      statuses: OPEN_ORDER_STATUSES,
    });
    expect(open.map((o) => [o.id, o.status])).toEqual([["order-3", "accepted"]]);

    const closed = newestOrders([...stored, ...inMemoryOpen], (id) => engine.get(id), {
      statuses: ["cancelled", "filled"],
    });
    expect(closed.map((o) => [o.id, o.status])).toEqual([
      ["order-2", "filled"],
      ["order-1", "cancelled"],
    ]);
  });

  it("lists each order once, a later copy over an earlier one, most recent first, up to the limit", () => {
    const listed = [
      order(1, "accepted"),
      order(2, "accepted"),
      order(1, "partially_filled"),
      order(3, "accepted"),
      order(4, "expired"),
    ];
    const all = newestOrders(listed, () => undefined, {});
    expect(all.map((o) => [o.id, o.status])).toEqual([
      ["order-4", "expired"],
      ["order-3", "accepted"],
      ["order-2", "accepted"],
      ["order-1", "partially_filled"],
    ]);
    expect(newestOrders(listed, () => undefined, { limit: 2 }).map((o) => o.id)).toEqual([
      "order-4",
      "order-3",
    ]);
  });

  it("applies the strategy and instrument filters to the newest state", () => {
    const listed = [order(1, "accepted"), order(2, "accepted", { instrument: "ETH-USD" })];
    expect(
      newestOrders(listed, () => undefined, { instrument: "ETH-USD" }).map((o) => o.id),
    ).toEqual(["order-2"]);
    expect(newestOrders(listed, () => undefined, { strategyId: "other" })).toEqual([]);
  });
});
