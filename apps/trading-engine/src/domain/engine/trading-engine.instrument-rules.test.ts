import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quote as quoteOf, startStrategy, T0, testEngine } from "../../testing/engine-fixtures.js";
import {
  arbitraryRules,
  ETH_RULES as ETH,
  onGrid,
  uniformRules,
} from "../../testing/instrument-grids.js";
import type { InstrumentRules } from "../orders/instrument-rules.js";
import type { OrderSnapshot } from "../orders/order.js";
import { MarketMakingStrategy } from "../strategies/market-making.js";
import { MeanReversionStrategy } from "../strategies/mean-reversion.js";
import type { TradingStrategy } from "../strategies/trading-strategy.js";
import type { TradingEngine } from "./trading-engine.js";

/** An engine trading on `rules` (`undefined`: never known) with slippage, and capital galore. */
const engineWith = (rules: InstrumentRules | undefined) =>
  testEngine({ rules: uniformRules(rules), costs: { slippageBps: 5 }, capital: 1e12 });

const start = (engine: TradingEngine, strategy: TradingStrategy) =>
  startStrategy(engine, strategy, { instrument: "ETH-USD" });

const quote = (bid: number, ask: number, size = 5) =>
  quoteOf(bid, ask, { instrument: "ETH-USD", size });

/** Every order and fill the engine made is on the rules' grid, within their bounds. */
function expectOnGrid(orders: readonly OrderSnapshot[], rules: InstrumentRules): void {
  for (const order of orders) {
    expect(onGrid(order.quantity, rules.lotSize), `quantity ${order.quantity}`).toBe(true);
    expect(order.quantity).toBeGreaterThanOrEqual(rules.minQuantity);
    if (rules.maxQuantity > 0) expect(order.quantity).toBeLessThanOrEqual(rules.maxQuantity);
    if (order.limitPrice !== undefined) {
      expect(onGrid(order.limitPrice, rules.tickSize), `price ${order.limitPrice}`).toBe(true);
    }
    for (const fill of order.fills) {
      expect(onGrid(fill.quantity, rules.lotSize), `fill quantity ${fill.quantity}`).toBe(true);
      expect(onGrid(fill.price, rules.tickSize), `fill price ${fill.price}`).toBe(true);
    }
  }
}

describe("TradingEngine on the instruments' grid", () => {
  it("rounds a market maker's limit prices to the tick, buys down and sells up", () => {
    const { engine } = engineWith(ETH);
    start(engine, new MarketMakingStrategy({ orderQuantity: 0.123456789, spreadBps: 7 }));
    engine.onQuote(quote(3_191.91, 3_191.94), T0);
    const orders = engine.orders();
    // The mid 3191.925 ± 3.5 bps: 3190.8078… and 3193.0421… as asked.
    expect(orders.map((o) => [o.side, o.limitPrice, o.quantity])).toEqual(
      expect.arrayContaining([
        ["buy", 3_190.8, 0.1234],
        ["sell", 3_193.05, 0.1234],
      ]),
    );
  });

  it("does not send an order that rounds below the minimum, and caps one above the maximum", () => {
    const small = engineWith({ ...ETH, minQuantity: 0.01 });
    start(small.engine, new MarketMakingStrategy({ orderQuantity: 0.009 }));
    small.engine.onQuote(quote(3_191.91, 3_191.94), T0);
    expect(small.engine.orders()).toEqual([]);
    expect(small.engine.strategy("s").status).toBe("active");

    const big = engineWith({ ...ETH, maxQuantity: 2 });
    start(big.engine, new MarketMakingStrategy({ orderQuantity: 7 }));
    big.engine.onQuote(quote(3_191.91, 3_191.94), T0);
    expect(big.engine.orders().map((o) => o.quantity)).toEqual([2, 2]);
  });

  it("sends a strategy's orders only once the instrument's rules are known", () => {
    const { engine } = engineWith(undefined);
    start(engine, new MarketMakingStrategy({ orderQuantity: 1 }));
    engine.onQuote(quote(3_191.91, 3_191.94), T0);
    expect(engine.orders()).toEqual([]);
  });

  it("closes a position larger than the maximum order in near-equal orders on the lot", () => {
    const { engine } = engineWith({ ...ETH, maxQuantity: 2 });
    let bought = 0;
    start(engine, {
      type: "market_making",
      parameters: {},
      onQuote: () =>
        bought++ < 3
          ? { cancel: [], place: [{ side: "buy", type: "market", quantity: 1.7 }] }
          : { cancel: [], place: [] },
    });
    for (let i = 0; i < 3; i++) engine.onQuote(quote(3_191.91, 3_191.94, 100), T0 + i);
    const closes = engine.forceClose({}, "flatten", T0 + 10);
    expect(closes.map((o) => o.quantity)).toEqual([1.7, 1.7, 1.7]);
    expect(closes.every((o) => o.status === "filled")).toBe(true);
    expect(engine.positions()[0]?.quantity).toBe(0);
  });

  it("puts every order and fill of either strategy on the grid (property)", () => {
    const rulesArbitrary = arbitraryRules({
      ticks: [1, 0.5, 0.01, 0.001, 0.0001, 0.00001],
      lots: [1, 0.1, 0.001, 0.00001, 0.00000001],
      minLots: { min: 1, max: 5 },
      maxLots: { min: 5, max: 100_000 },
    });
    // Quantities and prices off the grid, but in its range: from the minimum to 1000 lots more,
    // prices from 100 to 10 million ticks.
    const scenario = rulesArbitrary.chain((rules) => {
      const quantity = fc.double({
        min: rules.minQuantity,
        max: rules.minQuantity + 1_000 * rules.lotSize,
        noNaN: true,
      });
      const strategy = fc.oneof(
        fc
          .record({
            orderQuantity: quantity,
            spreadBps: fc.double({ min: 0.1, max: 200, noNaN: true }),
            levels: fc.integer({ min: 1, max: 4 }),
            levelSpacingBps: fc.double({ min: 0, max: 50, noNaN: true }),
            inventorySkew: fc.double({ min: 0, max: 1, noNaN: true }),
            refreshIntervalMs: fc.integer({ min: 1, max: 3_000 }),
          })
          .map((p): TradingStrategy => new MarketMakingStrategy(p)),
        fc
          .record({
            orderQuantity: quantity,
            lookback: fc.integer({ min: 2, max: 8 }),
            sampleIntervalMs: fc.integer({ min: 1, max: 2_000 }),
            entryZScore: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
            stopLossBps: fc.double({ min: 0, max: 100, noNaN: true }),
            entryOrderType: fc.constantFrom("market" as const, "limit" as const),
          })
          .map((p): TradingStrategy => new MeanReversionStrategy(p)),
      );
      const path = fc.record({
        start: fc.double({ min: 100 * rules.tickSize, max: 1e7 * rules.tickSize, noNaN: true }),
        moves: fc.array(
          fc.record({
            returnBps: fc.double({ min: -150, max: 150, noNaN: true }),
            spreadBps: fc.double({ min: 0.5, max: 30, noNaN: true }),
            size: quantity.map((q) => q * 3),
            stepMs: fc.integer({ min: 1, max: 2_000 }),
          }),
          { minLength: 5, maxLength: 60 },
        ),
      });
      return fc.tuple(fc.constant(rules), strategy, path);
    });
    let placed = 0;
    let filled = 0;
    fc.assert(
      fc.property(scenario, ([rules, strategy, path]) => {
        const { engine } = engineWith(rules);
        start(engine, strategy);
        let mid = path.start;
        let now = T0;
        for (const move of path.moves) {
          mid *= 1 + move.returnBps / 10_000;
          now += move.stepMs;
          const half = (mid * move.spreadBps) / 20_000;
          engine.onQuote(quote(mid - half, mid + half, move.size), now);
        }
        engine.forceClose({}, "end of run", now);
        const orders = engine.orders({ limit: 100_000 });
        placed += orders.length;
        filled += orders.reduce((n, o) => n + o.fills.length, 0);
        expectOnGrid(orders, rules);
      }),
      { numRuns: 150, seed: 19 },
    );
    // The runs traded: the property was checked on real orders and fills, not on none.
    expect(placed).toBeGreaterThan(400);
    expect(filled).toBeGreaterThan(80);
  });
});
