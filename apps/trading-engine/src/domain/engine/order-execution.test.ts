import { describe, expect, it } from "vitest";
import { marketOrder, T0 } from "../../testing/engine-fixtures.js";
import {
  type ExecutionPartsOptions,
  executionParts,
  ORDER_TIMEOUT_MS,
} from "../../testing/execution-fixtures.js";
import { uniformRules } from "../../testing/instrument-grids.js";

/** Execution's parts with a strategy "s" on BTC-USD. */
function harness(options: ExecutionPartsOptions = {}) {
  const parts = executionParts(options);
  return { ...parts, managed: parts.add("s") };
}

describe("OrderExecution.place", () => {
  it("fills a strategy's market order at the touch and books the fill, position and activity", () => {
    const h = harness();
    const order = h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 0.5), T0);
    expect(order?.snapshot()).toMatchObject({
      strategyId: "s",
      status: "filled",
      filledQuantity: 0.5,
      averageFillPrice: 101,
      createdAt: T0,
      expiresAt: T0 + ORDER_TIMEOUT_MS,
    });
    expect(h.portfolio.position("s", "BTC-USD").quantity).toBe(0.5);
    expect(h.managed.snapshot.activity).toEqual({
      orderCount: 1,
      fillCount: 1,
      tradedNotional: 50.5,
    });
    const changes = h.taken();
    expect(changes?.fills).toHaveLength(1);
    expect(changes?.orders.map((o) => o.status)).toEqual(["filled"]);
    expect(changes?.positions.map((p) => p.quantity)).toEqual([0.5]);
    expect(h.risk.ordersLastSecond(T0)).toBe(1);
    expect(h.timed).toEqual(["start", "end"]);
  });

  it("puts the order on the grid: the quantity down to the lot, a buy's price down to the tick", () => {
    const h = harness();
    const order = h.execution.place(
      h.managed,
      "ETH-USD",
      { side: "buy", type: "limit", quantity: 0.123456, limitPrice: 50.019 },
      T0,
    );
    expect(order?.snapshot()).toMatchObject({ quantity: 0.1234, limitPrice: 50.01 });
  });

  it("places nothing when the quantity rounds to less than the minimum", () => {
    const h = harness();
    expect(h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 1e-6), T0)).toBeUndefined();
    expect(h.orders.list()).toEqual([]);
    expect(h.managed.snapshot.activity.orderCount).toBe(0);
  });

  it("numbers a strategy's client order ids by session and sequence", () => {
    const h = harness({ session: "boot7" });
    const ids = [1, 2].map(
      (n) =>
        h.execution.place(h.managed, "BTC-USD", marketOrder("buy", n), T0)?.snapshot()
          .clientOrderId,
    );
    expect(ids).toEqual(["s-boot7-1", "s-boot7-2"]);
  });

  it("places nothing for a strategy on an instrument without rules", () => {
    const h = harness({ rules: uniformRules(undefined) });
    expect(h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 1), T0)).toBeUndefined();
    expect(h.orders.list()).toEqual([]);
  });

  it("records a closing order without rules as rejected, for the operator to see why", () => {
    const h = harness({ rules: uniformRules(undefined) });
    const order = h.execution.place(undefined, "BTC-USD", marketOrder("sell", 1), T0, {
      owner: "s",
      reason: "kill switch",
    });
    expect(order?.snapshot()).toMatchObject({
      strategyId: "s",
      status: "rejected",
      reason: "kill switch",
      statusReason: "no trading rules (tick, lot) known for BTC-USD yet",
    });
    expect(h.venue.workingCount).toBe(0);
  });

  it("rejects an order a limit refuses: in the book, reported, never at the venue, not counted in the rate", () => {
    const h = harness({ limits: { maxPositionSize: 1 } });
    const order = h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 2), T0);
    expect(order?.status).toBe("rejected");
    expect(h.orders.get(order?.id ?? "")?.status).toBe("rejected");
    expect(h.rejections.map((r) => [r.rejection.limit, r.order.id])).toEqual([
      ["max_position_size", order?.id],
    ]);
    expect(h.venue.workingCount).toBe(0);
    expect(h.risk.ordersLastSecond(T0)).toBe(0);
    expect(h.portfolio.position("s", "BTC-USD").quantity).toBe(0);
    expect(h.managed.snapshot.activity.orderCount).toBe(1);
  });

  it("lets an operator's closing order past every limit, with its own client order id", () => {
    const h = harness({ limits: { maxPositionSize: 0.1, maxOrdersPerSecond: 1 } });
    h.risk.recordOrder(T0);
    const order = h.execution.place(undefined, "BTC-USD", marketOrder("sell", 1), T0, {
      owner: "s",
      reason: "flatten",
    });
    expect(order?.snapshot()).toMatchObject({
      clientOrderId: `force-close-1-${T0}`,
      status: "filled",
      reason: "flatten",
    });
    expect(h.rejections).toEqual([]);
  });
});

describe("OrderExecution.apply", () => {
  it("ignores fills of orders it does not know or that are no longer open", () => {
    const h = harness();
    const order = h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 1), T0);
    const fill = order?.snapshot().fills[0];
    if (fill === undefined) throw new Error("no fill");
    h.taken();
    h.execution.apply(
      [
        { type: "fill", fill: { ...fill, id: "again" } },
        { type: "fill", fill: { ...fill, id: "other", orderId: "unknown" } },
      ],
      T0 + 1,
    );
    expect(h.portfolio.position("s", "BTC-USD").quantity).toBe(1);
    expect(h.managed.snapshot.activity.fillCount).toBe(1);
    expect(h.taken()).toBeUndefined();
  });
});

describe("OrderExecution.expire", () => {
  it("expires a working order at its expiry, not a millisecond before, and withdraws it from the venue", () => {
    const h = harness();
    const resting = { side: "buy", type: "limit", quantity: 1, limitPrice: 90 } as const;
    const order = h.execution.place(h.managed, "BTC-USD", resting, T0);
    expect(order?.status).toBe("accepted");
    h.execution.expire(T0 + ORDER_TIMEOUT_MS - 1);
    expect(order?.status).toBe("accepted");
    expect(h.venue.workingCount).toBe(1);
    h.execution.expire(T0 + ORDER_TIMEOUT_MS);
    expect(order?.snapshot()).toMatchObject({
      status: "expired",
      expiredAt: T0 + ORDER_TIMEOUT_MS,
    });
    expect(h.venue.workingCount).toBe(0);
  });
});

describe("OrderExecution.cancelWhere", () => {
  it("cancels the open orders that match, at the venue too, and returns their ids", () => {
    const h = harness();
    const limit = (side: "buy" | "sell", limitPrice: number) =>
      h.execution.place(h.managed, "BTC-USD", { side, type: "limit", quantity: 1, limitPrice }, T0);
    const bid = limit("buy", 90);
    const ask = limit("sell", 110);
    const cancelled = h.execution.cancelWhere((o) => o.side === "buy", T0 + 1, "requested");
    expect(cancelled).toEqual([bid?.id]);
    expect(bid?.snapshot()).toMatchObject({ status: "cancelled", statusReason: "requested" });
    expect(ask?.status).toBe("accepted");
    expect(h.venue.workingCount).toBe(1);
  });
});

describe("OrderExecution.closePositions", () => {
  it("cancels the owner's working orders first, then closes the position with market orders", () => {
    const h = harness();
    h.execution.place(h.managed, "BTC-USD", marketOrder("buy", 2), T0);
    const bid = h.execution.place(
      h.managed,
      "BTC-USD",
      { side: "buy", type: "limit", quantity: 1, limitPrice: 90 },
      T0,
    );
    const placed = h.execution.closePositions(() => true, T0 + 1, "stop");
    expect(bid?.status).toBe("cancelled");
    expect(placed.map((o) => [o.side, o.type, o.quantity, o.reason])).toEqual([
      ["sell", "market", 2, "stop"],
    ]);
    expect(h.portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("splits a close larger than the maximum order and skips positions that do not match", () => {
    const maxTwo = { tickSize: 0.01, lotSize: 0.01, minQuantity: 0.01, maxQuantity: 2 };
    const h = harness({ rules: uniformRules(maxTwo) });
    for (let n = 0; n < 3; n += 1) {
      h.execution.place(h.managed, "BTC-USD", marketOrder("sell", 1.5), T0);
    }
    expect(h.execution.closePositions((p) => p.strategyId === "other", T0, "x")).toEqual([]);
    const placed = h.execution.closePositions(() => true, T0 + 1, "stop");
    expect(placed.map((o) => [o.side, o.quantity])).toEqual([
      ["buy", 1.5],
      ["buy", 1.5],
      ["buy", 1.5],
    ]);
    expect(h.portfolio.position("s", "BTC-USD").quantity).toBe(0);
    expect(h.execution.closePositions(() => true, T0 + 2, "again")).toEqual([]);
  });
});
