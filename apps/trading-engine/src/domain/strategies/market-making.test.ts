import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quoteAround, T0 } from "../../testing/engine-fixtures.js";
import { arbitraryRules, ETH_RULES, onGrid } from "../../testing/instrument-grids.js";
import { MarketMakingStrategy } from "./market-making.js";
import type { StrategyView } from "./trading-strategy.js";

// strategies.test.ts covers levels, skew, the volatility spread, refresh and the parameters;
// this file adds the tick grid, the limits on both sides and the edges of the price range.

function view(mid: number, overrides: Partial<StrategyView> = {}): StrategyView {
  return {
    now: T0,
    quote: quoteAround(mid, 0.5),
    position: 0,
    averageEntryPrice: 0,
    openOrders: [],
    maxPosition: 10,
    ...overrides,
  };
}

describe("MarketMakingStrategy prices", () => {
  it("puts bids down and asks up onto the instrument's tick, never more aggressive", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 3 });
    const place = mm.onQuote(view(3_200.005, { rules: ETH_RULES })).place;
    expect(place.map((o) => [o.side, o.limitPrice])).toEqual([
      ["buy", 3_199.52],
      ["sell", 3_200.49],
    ]);
  });

  it("rounds to the stored 8 decimals when the rules are unknown", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 10 });
    const [bid] = mm.onQuote(view(1 / 3)).place;
    expect(bid?.limitPrice).toBe(0.33316667);
  });

  it("quotes a bid below and an ask above the mid, on the grid, for any rules and spread", () => {
    const space = {
      ticks: [0.0001, 0.01, 0.5, 1],
      lots: [0.001],
      minLots: { min: 1, max: 1 },
      maxLots: { min: 1, max: 1 },
    };
    fc.assert(
      fc.property(
        arbitraryRules(space),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (rules, mid, spreadBps) => {
          const mm = new MarketMakingStrategy({ orderQuantity: 1, spreadBps });
          const [bid, ask] = mm.onQuote(view(mid, { rules, maxPosition: 0 })).place;
          expect(bid?.limitPrice).toBeLessThan(mid);
          expect(ask?.limitPrice).toBeGreaterThan(mid);
          expect(onGrid(bid?.limitPrice ?? Number.NaN, rules.tickSize)).toBe(true);
          expect(onGrid(ask?.limitPrice ?? Number.NaN, rules.tickSize)).toBe(true);
        },
      ),
    );
  });

  it("does not quote a bid level that would price at or below zero", () => {
    const mm = new MarketMakingStrategy({
      orderQuantity: 1,
      spreadBps: 10_000,
      levels: 2,
      levelSpacingBps: 5_000,
    });
    const place = mm.onQuote(view(100)).place;
    expect(place.map((o) => [o.side, o.limitPrice])).toEqual([
      ["buy", 50],
      ["sell", 150],
      ["sell", 200],
    ]);
  });

  it("decides nothing on a quote without a positive mid", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1 });
    expect(mm.onQuote(view(0))).toEqual({ cancel: [], place: [] });
  });
});

describe("MarketMakingStrategy inventory", () => {
  it("stops selling at the short limit, as it stops buying at the long one", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1 });
    expect(mm.onQuote(view(100, { position: -10 })).place.map((o) => o.side)).toEqual(["buy"]);
  });

  it("quotes both sides at any position when there is no position limit", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1, inventorySkew: 1 });
    const place = mm.onQuote(view(100, { position: 1_000, maxPosition: 0 })).place;
    expect(place.map((o) => [o.side, o.limitPrice])).toEqual([
      ["buy", 99.95],
      ["sell", 100.05],
    ]);
  });

  it("clamps the skew at the limit: further past it, the bid stays at the mid", () => {
    const skewed = (position: number) =>
      new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 20, inventorySkew: 1 })
        .onQuote(view(10_000, { position, maxPosition: 10 }))
        .place.map((o) => o.limitPrice);
    expect(skewed(-10)).toEqual([10_000]);
    expect(skewed(-30)).toEqual([10_000]);
  });

  it("keeps the refresh clock per instrument", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1, refreshIntervalMs: 1_000 });
    const working = [{ id: "w", side: "buy", type: "limit", remaining: 1, limitPrice: 1 }] as const;
    mm.onQuote(view(100));
    const eth = view(100, { quote: quoteAround(100, 0.5, { instrument: "ETH-USD" }) });
    expect(mm.onQuote({ ...eth, now: T0 + 10, openOrders: working }).cancel).toEqual(["w"]);
    expect(mm.onQuote(view(100, { now: T0 + 10, openOrders: working }))).toEqual({
      cancel: [],
      place: [],
    });
  });
});
