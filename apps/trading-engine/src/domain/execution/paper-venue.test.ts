import { describe, expect, it } from "vitest";
import { Order, type OrderSnapshot, type OrderSpec } from "../orders/order.js";
import type { MarketQuote } from "../shared/market-quote.js";
import type { VenueEvent } from "./execution-venue.js";
import { PaperVenue } from "./paper-venue.js";

const T0 = Date.UTC(2026, 10, 23);
const costs = { takerFeeBps: 10, makerFeeBps: 2, slippageBps: 5 };

function venue() {
  let n = 0;
  return new PaperVenue(costs, () => `fill-${++n}`);
}

function order(spec: Partial<OrderSpec>): OrderSnapshot {
  const o = new Order({
    id: "o-1",
    clientOrderId: "c-1",
    strategyId: "s-1",
    instrument: "BTC-USD",
    side: "buy",
    type: "market",
    quantity: 1,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    ...spec,
  });
  o.submit(T0);
  return o.snapshot();
}

function quote(bid: number, ask: number, size = 10, at = T0): MarketQuote {
  return {
    instrument: "BTC-USD",
    bid,
    ask,
    bidSize: size,
    askSize: size,
    last: bid,
    timestamp: at,
  };
}

const fills = (events: VenueEvent[]) => events.flatMap((e) => (e.type === "fill" ? [e.fill] : []));

describe("PaperVenue", () => {
  it("fills a market buy at the ask plus slippage with the taker fee", () => {
    const events = venue().submit(order({}), quote(99, 100), T0);
    expect(events[0]).toEqual({ type: "accepted", orderId: "o-1" });
    const [fill] = fills(events);
    expect(fill).toMatchObject({ price: 100.05, quantity: 1, liquidity: "taker", fee: 0.10005 });
  });

  it("fills a market sell at the bid minus slippage", () => {
    const [fill] = fills(venue().submit(order({ side: "sell" }), quote(99, 100), T0));
    expect(fill?.price).toBeCloseTo(99 * (1 - 0.0005), 8);
  });

  it("rests a limit order until a quote crosses it, then fills at its price as maker", () => {
    const paper = venue();
    const events = paper.submit(order({ type: "limit", limitPrice: 98 }), quote(99, 100), T0);
    expect(fills(events)).toEqual([]);
    expect(fills(paper.onQuote(quote(98.5, 99.5), T0))).toEqual([]);
    const [fill] = fills(paper.onQuote(quote(97, 97.9, 10, T0 + 5), T0 + 5));
    expect(fill).toMatchObject({ price: 98, liquidity: "maker", fee: 0.0196, timestamp: T0 + 5 });
    expect(paper.workingCount).toBe(0);
  });

  it("takes liquidity when a limit order crosses on arrival", () => {
    const [fill] = fills(
      venue().submit(order({ type: "limit", limitPrice: 101 }), quote(99, 100), T0),
    );
    expect(fill).toMatchObject({ price: 100.05, liquidity: "taker" });
  });

  it("fills partially by the quoted size, sharing it in price-time priority", () => {
    const paper = venue();
    paper.submit(
      order({ id: "low", type: "limit", limitPrice: 97, quantity: 3 }),
      quote(99, 100),
      T0,
    );
    paper.submit(
      order({ id: "high", type: "limit", limitPrice: 98, quantity: 3 }),
      quote(99, 100),
      T0,
    );
    const first = fills(paper.onQuote(quote(96, 96.5, 4), T0));
    expect(first.map((f) => [f.orderId, f.quantity])).toEqual([
      ["high", 3],
      ["low", 1],
    ]);
    const second = fills(paper.onQuote(quote(96, 96.5, 4), T0));
    expect(second.map((f) => [f.orderId, f.quantity])).toEqual([["low", 2]]);
  });

  it("accepts an order without a quote, fills it on the next quote at that time", () => {
    const paper = venue();
    expect(paper.submit(order({ createdAt: T0 + 8_000 }), undefined, T0 + 8_000)).toEqual([
      { type: "accepted", orderId: "o-1" },
    ]);
    const [fill] = fills(paper.onQuote(quote(90, 91, 10, T0 + 9_000), T0 + 9_000));
    expect(fill).toMatchObject({ orderId: "o-1", price: 91.0455, timestamp: T0 + 9_000 });
    expect(paper.workingCount).toBe(0);
  });

  it("stamps a fill with the time it happens, not with the time of the quote it used", () => {
    const paper = venue();
    const earlier = quote(99, 100, 10, T0 - 3_000);
    const [fill] = fills(paper.submit(order({}), earlier, T0));
    expect(fill?.timestamp).toBe(T0);
  });

  it("forgets cancelled orders", () => {
    const paper = venue();
    paper.submit(order({ type: "limit", limitPrice: 90 }), quote(99, 100), T0);
    expect(paper.cancel("o-1")).toBe(true);
    expect(paper.cancel("o-1")).toBe(false);
    expect(fills(paper.onQuote(quote(80, 81), T0))).toEqual([]);
    expect(() => new PaperVenue({ ...costs, takerFeeBps: -1 }, () => "x")).toThrow(RangeError);
  });

  it("never fills a crossing limit order worse than its limit, slippage included", () => {
    const [fill] = fills(
      venue().submit(order({ type: "limit", limitPrice: 100 }), quote(99, 100), T0),
    );
    expect(fill?.price).toBe(100);
  });

  it("shares one quote's size between orders submitted on it", () => {
    const paper = venue();
    const shared = quote(99, 100, 1);
    const first = fills(paper.submit(order({ id: "a" }), shared, T0));
    const second = fills(paper.submit(order({ id: "b" }), shared, T0));
    expect(first.map((f) => f.quantity)).toEqual([1]);
    expect(second).toEqual([]);
    expect(fills(paper.onQuote(quote(99, 100, 1), T0)).map((f) => f.orderId)).toEqual(["b"]);
  });
});
