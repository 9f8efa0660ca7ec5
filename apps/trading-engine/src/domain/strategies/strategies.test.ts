import { describe, expect, it } from "vitest";
import type { MarketQuote } from "../shared/market-quote.js";
import { MarketMakingStrategy, resolveMarketMakingParameters } from "./market-making.js";
import { MeanReversionStrategy, resolveMeanReversionParameters } from "./mean-reversion.js";
import type { StrategyView, WorkingOrderView } from "./trading-strategy.js";

const T0 = Date.UTC(2026, 10, 23);

function quote(mid: number, at = T0): MarketQuote {
  return {
    instrument: "BTC-USD",
    bid: mid - 0.5,
    ask: mid + 0.5,
    bidSize: 5,
    askSize: 5,
    last: mid,
    timestamp: at,
  };
}

function view(mid: number, overrides: Partial<StrategyView> = {}): StrategyView {
  return {
    now: T0,
    quote: quote(mid),
    position: 0,
    averageEntryPrice: 0,
    openOrders: [],
    maxPosition: 10,
    ...overrides,
  };
}

describe("market making", () => {
  it("quotes both sides around the mid at the minimum spread, with levels", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 0.5, spreadBps: 20, levels: 2 });
    const { place, cancel } = mm.onQuote(view(10_000));
    expect(cancel).toEqual([]);
    expect(place.map((o) => [o.side, o.limitPrice])).toEqual([
      ["buy", 9_990],
      ["sell", 10_010],
      ["buy", 9_980],
      ["sell", 10_020],
    ]);
    expect(place.every((o) => o.quantity === 0.5 && o.type === "limit")).toBe(true);
  });

  it("skews quotes against the inventory and stops adding at the limit", () => {
    const mm = new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 20, inventorySkew: 1 });
    const long = mm.onQuote(view(10_000, { position: 5 })).place;
    expect(long.map((o) => o.limitPrice)).toEqual([9_985, 10_005]);
    const atLimit = new MarketMakingStrategy({ orderQuantity: 1 }).onQuote(
      view(10_000, { position: 10 }),
    ).place;
    expect(atLimit.map((o) => o.side)).toEqual(["sell"]);
  });

  it("widens the spread with volatility", () => {
    const calm = new MarketMakingStrategy({
      orderQuantity: 1,
      spreadBps: 10,
      volatilityMultiplier: 50,
    });
    const wild = new MarketMakingStrategy({
      orderQuantity: 1,
      spreadBps: 10,
      volatilityMultiplier: 50,
    });
    let mid = 10_000;
    for (let i = 0; i < 50; i++) {
      calm.onQuote(view(10_000, { now: T0 + i * 100, openOrders: [openOrder()] }));
      mid = i % 2 === 0 ? 10_000 : 10_100;
      wild.onQuote(view(mid, { now: T0 + i * 100, openOrders: [openOrder()] }));
    }
    const spread = (mm: MarketMakingStrategy) => {
      const [bid, ask] = mm.onQuote(view(10_000, { now: T0 + 10_000 })).place;
      return (ask?.limitPrice ?? 0) - (bid?.limitPrice ?? 0);
    };
    expect(spread(calm)).toBeCloseTo(10, 0);
    expect(spread(wild)).toBeGreaterThan(50);
  });

  it("keeps orders near the wanted prices and replaces the others on refresh", () => {
    const mm = new MarketMakingStrategy({
      orderQuantity: 1,
      spreadBps: 20,
      refreshIntervalMs: 1_000,
    });
    const near = openOrder({ id: "near", side: "buy", limitPrice: 9_990.5 });
    const far = openOrder({ id: "far", side: "sell", limitPrice: 10_100 });
    const first = mm.onQuote(view(10_000, { openOrders: [near, far] }));
    expect(first.cancel).toEqual(["far"]);
    expect(first.place.map((o) => o.side)).toEqual(["sell"]);
    expect(mm.onQuote(view(10_000, { now: T0 + 500, openOrders: [near] }))).toEqual({
      cancel: [],
      place: [],
    });
  });

  it("validates its parameters, naming the field", () => {
    expect(() => resolveMarketMakingParameters({})).toThrow(/order_quantity is required/);
    expect(() => resolveMarketMakingParameters({ orderQuantity: 1, spreadBps: -1 })).toThrow(
      /spread_bps/,
    );
    expect(() => resolveMarketMakingParameters({ orderQuantity: 1, levels: 11 })).toThrow(/levels/);
    expect(() => resolveMarketMakingParameters({ orderQuantity: 1, inventorySkew: 2 })).toThrow(
      /inventory_skew/,
    );
    expect(() => resolveMarketMakingParameters({ orderQuantity: Number.NaN })).toThrow(
      /order_quantity/,
    );
    expect(resolveMarketMakingParameters({ orderQuantity: 1 })).toEqual({
      spreadBps: 10,
      orderQuantity: 1,
      levels: 1,
      levelSpacingBps: 5,
      inventorySkew: 0,
      volatilityMultiplier: 0,
      refreshIntervalMs: 1_000,
    });
  });
});

describe("mean reversion", () => {
  function warmed(values: number[]) {
    const mr = new MeanReversionStrategy({
      orderQuantity: 2,
      lookback: values.length,
      sampleIntervalMs: 1_000,
      entryZScore: 2,
      exitZScore: 0.5,
    });
    for (const [i, mid] of values.entries()) {
      mr.onQuote(view(mid, { now: T0 + i * 1_000, openOrders: [openOrder()] }));
    }
    return mr;
  }
  const base = [100, 101, 99, 100, 101, 99, 100, 101, 99, 100];

  it("waits for a full lookback, then sells high and buys low", () => {
    const cold = new MeanReversionStrategy({
      orderQuantity: 1,
      lookback: 5,
      sampleIntervalMs: 1_000,
    });
    expect(cold.onQuote(view(200)).place).toEqual([]);
    const mr = warmed(base);
    expect(mr.onQuote(view(100.5, { now: T0 + 20_000 })).place).toEqual([]);
    expect(warmed(base).onQuote(view(103, { now: T0 + 20_000 })).place).toEqual([
      { side: "sell", type: "market", quantity: 2 },
    ]);
    expect(warmed(base).onQuote(view(97, { now: T0 + 20_000 })).place).toEqual([
      { side: "buy", type: "market", quantity: 2 },
    ]);
  });

  it("exits at the exit level and on the stop loss, with the whole position", () => {
    const mr = warmed(base);
    expect(
      mr.onQuote(view(99.2, { position: 2, averageEntryPrice: 97, now: T0 + 9_500 })).place,
    ).toEqual([]);
    expect(
      mr.onQuote(view(99.9, { position: 2, averageEntryPrice: 97, now: T0 + 9_600 })).place,
    ).toEqual([{ side: "sell", type: "market", quantity: 2 }]);
    const stopped = new MeanReversionStrategy({ orderQuantity: 1, stopLossBps: 100 });
    expect(stopped.onQuote(view(98.9, { position: -3, averageEntryPrice: 97.9 })).place).toEqual([
      { side: "buy", type: "market", quantity: 3 },
    ]);
  });

  it("enters with a limit at the touch when asked, and never stacks orders", () => {
    const limit = new MeanReversionStrategy({
      orderQuantity: 1,
      lookback: base.length,
      sampleIntervalMs: 1_000,
      entryOrderType: "limit",
    });
    for (const [i, mid] of base.entries()) {
      limit.onQuote(view(mid, { now: T0 + i * 1_000, openOrders: [openOrder()] }));
    }
    expect(limit.onQuote(view(97, { now: T0 + 20_000 })).place).toEqual([
      { side: "buy", type: "limit", quantity: 1, limitPrice: 96.5 },
    ]);
    expect(
      warmed(base).onQuote(view(103, { now: T0 + 20_000, openOrders: [openOrder()] })).place,
    ).toEqual([]);
  });

  it("validates its parameters, naming the field", () => {
    expect(() => resolveMeanReversionParameters({})).toThrow(/order_quantity is required/);
    expect(() => resolveMeanReversionParameters({ orderQuantity: 1, lookback: 1 })).toThrow(
      /lookback/,
    );
    expect(() =>
      resolveMeanReversionParameters({ orderQuantity: 1, entryZScore: 1, exitZScore: 1 }),
    ).toThrow(/exit_z_score/);
    expect(resolveMeanReversionParameters({ orderQuantity: 1 })).toMatchObject({
      lookback: 20,
      sampleIntervalMs: 60_000,
      entryZScore: 2,
      entryOrderType: "market",
    });
  });
});

function openOrder(overrides: Partial<WorkingOrderView> = {}): WorkingOrderView {
  return { id: "w-1", side: "buy", type: "limit", limitPrice: 1, remaining: 1, ...overrides };
}
