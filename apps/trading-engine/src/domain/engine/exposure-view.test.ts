import { describe, expect, it } from "vitest";
import { Order, type OrderSpec } from "../orders/order.js";
import { Portfolio } from "../portfolio/portfolio.js";
import { ExposureLedger } from "../risk/exposure-ledger.js";
import { BookExposure } from "./exposure-view.js";
import { OrderBook } from "./order-book.js";

const T0 = Date.UTC(2026, 10, 23);
let sequence = 0;

/** An accepted order in `book`: a limit buy of 1 at 100 of strategy "s" unless `spec` differs. */
function work(book: OrderBook, spec: Partial<OrderSpec>): Order {
  const { limitPrice, ...rest } = { limitPrice: 100, ...spec };
  const order = new Order({
    id: `o-${++sequence}`,
    clientOrderId: `c-${sequence}`,
    strategyId: "s",
    instrument: "BTC-USD",
    side: "buy",
    type: "limit",
    quantity: 1,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    ...rest,
    ...((rest.type ?? "limit") === "limit" ? { limitPrice } : {}),
  });
  order.submit(T0);
  order.accept(T0);
  book.add(order);
  book.update(order);
  return order;
}

/** Strategy "s" long 2 BTC at 100 (marked at 110), with working orders on both sides. */
function books() {
  const portfolio = new Portfolio(100_000);
  portfolio.applyFill(
    {
      id: "f",
      orderId: "old",
      strategyId: "s",
      instrument: "BTC-USD",
      side: "buy",
      price: 100,
      quantity: 2,
      fee: 0,
      liquidity: "taker",
      timestamp: T0,
    },
    "s",
  );
  portfolio.mark("BTC-USD", 110);
  const orders = new OrderBook();
  work(orders, { quantity: 1, limitPrice: 105 });
  work(orders, { side: "sell", type: "market", quantity: 3 });
  work(orders, { strategyId: "t", instrument: "ETH-USD", quantity: 4, limitPrice: 10 });
  const marked: string[] = [];
  const markOf = (instrument: string) => {
    marked.push(instrument);
    return instrument === "BTC-USD" ? 120 : 0;
  };
  return { portfolio, orders, marked, exposure: new BookExposure(portfolio, orders, markOf) };
}

describe("BookExposure", () => {
  it("reads positions from the portfolio and open quantities from the order book", () => {
    const { exposure } = books();
    expect(exposure.netPosition("BTC-USD")).toBe(2);
    expect(exposure.openQuantity("BTC-USD", "buy")).toBe(1);
    expect(exposure.openQuantity("BTC-USD", "sell")).toBe(3);
    expect(exposure.openQuantity("ETH-USD", "sell")).toBe(0);
    expect(exposure.portfolioValue()).toBe(100_000 - 200 + 220);
    expect(exposure.instrumentsInUse()).toEqual(["BTC-USD", "ETH-USD"]);
  });

  it("values the books as an exposure ledger, market orders at the mark, once per check", () => {
    const { portfolio, exposure, marked } = books();
    expect(marked).toEqual([]);
    const ledger = new ExposureLedger(portfolio.positions(), [
      { strategyId: "s", instrument: "BTC-USD", side: "buy", remaining: 1, price: 105 },
      { strategyId: "s", instrument: "BTC-USD", side: "sell", remaining: 3, price: 120 },
      { strategyId: "t", instrument: "ETH-USD", side: "buy", remaining: 4, price: 10 },
    ]);
    expect(exposure.totalNotional()).toBe(ledger.total());
    expect(exposure.book("s", "BTC-USD")).toEqual(ledger.book("s", "BTC-USD"));
    expect(exposure.totalNotional()).toBe(ledger.total());
    expect(marked).toEqual(["BTC-USD"]);
  });

  it("gives a strategy's own limits and usage, its notional valued only when read", () => {
    const { exposure, marked } = books();
    const own = exposure.strategy(
      "s",
      { maxPosition: 5, maxNotional: 1_000, maxOpenOrders: 3, maxLoss: 0 },
      "BTC-USD",
      "sell",
    );
    expect(own).toMatchObject({
      maxPosition: 5,
      maxNotional: 1_000,
      maxOpenOrders: 3,
      position: 2,
      openQuantitySameSide: 3,
      openOrders: 2,
    });
    expect(marked).toEqual([]);
    expect(own.notional).toBeGreaterThan(0);
    expect(marked).toEqual(["BTC-USD"]);
  });
});
