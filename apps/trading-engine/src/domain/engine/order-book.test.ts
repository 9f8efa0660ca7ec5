import { describe, expect, it } from "vitest";
import { Order, type OrderSpec } from "../orders/order.js";
import { OrderBook } from "./order-book.js";

const T0 = Date.UTC(2026, 10, 23);

let sequence = 0;

/** A working (accepted) limit order created `n` ms after T0. */
function working(n: number, overrides: Partial<OrderSpec> = {}): Order {
  const order = new Order({
    id: `o-${++sequence}`,
    clientOrderId: `c-${sequence}`,
    strategyId: "s",
    instrument: "BTC-USD",
    side: "buy",
    type: "limit",
    quantity: 2,
    limitPrice: 100,
    createdAt: T0 + n,
    expiresAt: T0 + 60_000,
    ...overrides,
  });
  order.submit(T0 + n);
  order.accept(T0 + n);
  return order;
}

/** `order` added to `book` and filed. */
function placed(book: OrderBook, order: Order): Order {
  book.add(order);
  book.update(order);
  return order;
}

describe("OrderBook", () => {
  it("counts an order as open only once filed, and files it closed when it ends", () => {
    const book = new OrderBook();
    const order = working(0);
    book.add(order);
    expect(book.get(order.id)).toBe(order);
    expect(book.open()).toEqual([]);
    book.update(order);
    expect(book.open()).toEqual([order]);
    order.cancel(T0 + 1, "done");
    book.update(order);
    expect(book.open()).toEqual([]);
    expect(book.get(order.id)?.status).toBe("cancelled");
  });

  it("forgets the oldest closed orders past its history, never an open one", () => {
    const book = new OrderBook(2);
    const open = placed(book, working(0));
    const closed = [1, 2, 3].map((n) => placed(book, working(n)));
    for (const order of closed) {
      order.cancel(T0 + 10, "done");
      book.update(order);
    }
    expect(book.get(closed[0]?.id ?? "")).toBeUndefined();
    expect(book.get(closed[1]?.id ?? "")).toBeDefined();
    expect(book.get(closed[2]?.id ?? "")).toBeDefined();
    expect(book.get(open.id)).toBe(open);
    expect(book.open()).toEqual([open]);
  });

  it("takes back restored orders, open ones as open at once", () => {
    const book = new OrderBook();
    const open = working(0);
    const filled = working(1);
    filled.fill({
      id: "f",
      orderId: filled.id,
      strategyId: "s",
      instrument: "BTC-USD",
      side: "buy",
      price: 100,
      quantity: 2,
      fee: 0,
      liquidity: "maker",
      timestamp: T0 + 2,
    });
    book.restore(Order.restore(open.snapshot()));
    book.restore(Order.restore(filled.snapshot()));
    expect(book.open().map((o) => o.id)).toEqual([open.id]);
    expect(book.get(filled.id)?.status).toBe("filled");
  });

  it("sums the remaining quantity of matching open orders on one side", () => {
    const book = new OrderBook();
    placed(book, working(0, { quantity: 1.5 }));
    placed(book, working(1, { quantity: 0.25 }));
    placed(book, working(2, { quantity: 4, side: "sell", limitPrice: 101 }));
    placed(book, working(3, { quantity: 8, instrument: "ETH-USD" }));
    const btc = (o: Order) => o.instrument === "BTC-USD";
    expect(book.openQuantity(btc, "buy")).toBe(1.75);
    expect(book.openQuantity(btc, "sell")).toBe(4);
    expect(book.openQuantity(() => true, "buy")).toBe(9.75);
  });

  it("lists by status, strategy and instrument, most recently created first, 100 by default", () => {
    const book = new OrderBook();
    const orders = Array.from({ length: 120 }, (_, n) =>
      placed(book, working(n, { strategyId: n % 2 === 0 ? "even" : "odd" })),
    );
    const last = orders.at(-1);
    last?.cancel(T0 + 200, "done");
    if (last !== undefined) book.update(last);
    placed(book, working(500, { instrument: "ETH-USD" }));

    expect(book.list()).toHaveLength(100);
    expect(book.list({ limit: 3 }).map((o) => o.createdAt)).toEqual([T0 + 500, T0 + 119, T0 + 118]);
    expect(book.list({ statuses: ["cancelled"] }).map((o) => o.id)).toEqual([last?.id]);
    expect(book.list({ statuses: [], limit: 1_000 })).toHaveLength(121);
    expect(book.list({ strategyId: "odd", limit: 1_000 })).toHaveLength(60);
    expect(book.list({ instrument: "ETH-USD" }).map((o) => o.createdAt)).toEqual([T0 + 500]);
  });
});
