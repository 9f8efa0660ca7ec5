import { describe, expect, it } from "vitest";
import { quote } from "../../testing/engine-fixtures.js";
import { MarketQuotes } from "./market-quotes.js";

const T0 = Date.UTC(2026, 10, 23);

describe("MarketQuotes", () => {
  it("stamps a quote with its arrival and trades on it only while it is young enough", () => {
    const quotes = new MarketQuotes(5_000, () => undefined);
    const stamped = quotes.receive(quote(99, 101, { timestamp: 1 }), T0);
    expect(stamped.timestamp).toBe(T0);
    expect(quotes.last("BTC-USD")).toEqual(stamped);
    expect(quotes.fresh("BTC-USD", T0 + 5_000)).toEqual(stamped);
    expect(quotes.fresh("BTC-USD", T0 + 5_001)).toBeUndefined();
    expect(quotes.fresh("ETH-USD", T0)).toBeUndefined();
  });

  it("has no market while the feed is stale, and one again when it is fresh", () => {
    const quotes = new MarketQuotes(5_000, () => undefined);
    quotes.receive(quote(99, 101), T0);
    quotes.stale = true;
    expect(quotes.stale).toBe(true);
    expect(quotes.fresh("BTC-USD", T0)).toBeUndefined();
    quotes.stale = false;
    expect(quotes.fresh("BTC-USD", T0)?.bid).toBe(99);
  });

  it("marks at the last mid, else the fallback mark, else 0", () => {
    const quotes = new MarketQuotes(5_000, (i) => (i === "ETH-USD" ? 2_000 : undefined));
    quotes.receive(quote(99, 101), T0);
    expect(quotes.markOf("BTC-USD")).toBe(100);
    expect(quotes.markOf("ETH-USD")).toBe(2_000);
    expect(quotes.markOf("SOL-USD")).toBe(0);
  });
});
