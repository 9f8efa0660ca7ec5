import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  quoteAround,
  scriptedStrategy,
  startStrategy,
  T0,
  testEngine,
} from "../../testing/engine-fixtures.js";
import { FINE_SOL_RULES, uniformRules } from "../../testing/instrument-grids.js";
import type { RiskLimits } from "../risk/risk-limits.js";
import { MarketMakingStrategy } from "../strategies/market-making.js";
import type { OrderIntent } from "../strategies/trading-strategy.js";
import type { TradingEngine } from "./trading-engine.js";

const setup = (limits: { maxPositionSize: number; maxTotalNotional: number }, capital = 1e6) =>
  testEngine({ rules: uniformRules(FINE_SOL_RULES), limits, capital });

const quoteAt = (mid: number, instrument: string, halfSpreadBps = 1, size = 100) =>
  quoteAround(mid, (mid * halfSpreadBps) / 10_000, { instrument, size });

/**
 * The engine's worst-case gross exposure, recomputed here from what it reports (positions and
 * open orders) rather than taken from it: per strategy and instrument, the larger of
 * |position + open buys| and |position − open sells|, valued at the mark and limit prices.
 */
function worstCaseNotional(engine: TradingEngine): number {
  const books = new Map<string, { position: number; buys: number; sells: number }>();
  const bookOf = (key: string) => {
    const book = books.get(key) ?? { position: 0, buys: 0, sells: 0 };
    books.set(key, book);
    return book;
  };
  for (const p of engine.positions())
    bookOf(`${p.strategyId}/${p.instrument}`).position += p.quantity * p.markPrice;
  for (const o of engine.orders({ statuses: ["accepted", "partially_filled"], limit: 10_000 })) {
    const value = (o.quantity - o.filledQuantity) * (o.limitPrice ?? 0);
    const book = bookOf(`${o.strategyId}/${o.instrument}`);
    if (o.side === "buy") book.buys += value;
    else book.sells += value;
  }
  let total = 0;
  for (const b of books.values())
    total += Math.max(Math.abs(b.position + b.buys), Math.abs(b.position - b.sells));
  return total;
}

const scripted = (engine: TradingEngine, id: string, script: OrderIntent[][], instrument: string) =>
  startStrategy(engine, scriptedStrategy(script), { id, instrument });

/** Runs the market maker of issue 19 item 8 over a walk of mid steps (in 0.1 bps). */
function runMarketMaker(
  limits: { maxPositionSize: number; maxTotalNotional: number },
  steps: readonly number[],
) {
  const { engine, portfolio } = setup(limits);
  startStrategy(
    engine,
    new MarketMakingStrategy({
      orderQuantity: 20,
      spreadBps: 1,
      levels: 5,
      levelSpacingBps: 0.3,
      refreshIntervalMs: 4_000,
    }),
    { id: "mm", instrument: "SOL-USD" },
  );
  let mid = 147;
  let maxNotional = 0;
  let maxPosition = 0;
  let maxDifference = 0;
  steps.forEach((step, i) => {
    mid = Math.min(148, Math.max(146, mid * (1 + step / 100_000)));
    engine.onQuote(quoteAt(mid, "SOL-USD"), T0 + i * 250);
    const measured = worstCaseNotional(engine);
    maxDifference = Math.max(maxDifference, Math.abs(engine.totalNotional() - measured));
    maxNotional = Math.max(maxNotional, measured);
    maxPosition = Math.max(maxPosition, Math.abs(portfolio.netPosition("SOL-USD")));
  });
  return { maxNotional, maxPosition, maxDifference, fills: engine.performance("mm").fillCount };
}

describe("TradingEngine risk limits with open orders", () => {
  it("counts the other open orders of a side before calling an order reducing (total notional)", () => {
    // Short 20 at 100 (2 000 of exposure, limit 2 500). A buy of 20 only closes the short; a
    // second one on top of it could leave the book long 20 — no more exposure than now; a third
    // could leave it long 40 (3 960): it adds exposure although each buy alone "reduces".
    const { engine } = setup({ maxPositionSize: 0, maxTotalNotional: 2_500 });
    const limit = (price: number): OrderIntent => ({
      side: "buy",
      type: "limit",
      quantity: 20,
      limitPrice: price,
    });
    scripted(
      engine,
      "s",
      [[{ side: "sell", type: "market", quantity: 20 }], [limit(99), limit(99), limit(99)]],
      "SOL-USD",
    );
    engine.onQuote(quoteAt(100, "SOL-USD", 0), T0);
    engine.onQuote(quoteAt(100, "SOL-USD", 1), T0 + 1);
    const buys = engine
      .orders({ strategyId: "s" })
      .filter((o) => o.side === "buy")
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(buys.map((o) => o.status)).toEqual(["accepted", "accepted", "rejected"]);
    expect(buys.find((o) => o.status === "rejected")?.statusReason).toMatch(
      /max total notional exceeded/,
    );
    expect(engine.totalNotional()).toBeLessThanOrEqual(2_500);
  });

  it("refuses an order that reduces a position over a lowered limit and reverses it past the limit", () => {
    const { engine, portfolio } = setup({ maxPositionSize: 0, maxTotalNotional: 0 });
    scripted(
      engine,
      "s",
      [
        [{ side: "buy", type: "market", quantity: 40 }],
        [{ side: "sell", type: "limit", quantity: 40, limitPrice: 200 }],
        [{ side: "sell", type: "limit", quantity: 35, limitPrice: 200 }],
        [{ side: "sell", type: "limit", quantity: 30, limitPrice: 200 }],
      ],
      "SOL-USD",
    );
    engine.onQuote(quoteAt(100, "SOL-USD", 0), T0);
    expect(portfolio.position("s", "SOL-USD").quantity).toBe(40);
    engine.setRiskLimits({ maxPositionSize: 30 });
    for (let i = 1; i <= 3; i++) engine.onQuote(quoteAt(100, "SOL-USD", 0), T0 + i);
    const sells = engine
      .orders({ strategyId: "s" })
      .filter((o) => o.side === "sell")
      .sort((a, b) => a.createdAt - b.createdAt);
    // 40 closes the long; 35 more would leave the book 35 short once both fill; 30 lands on it.
    expect(sells.map((o) => [o.quantity, o.status])).toEqual([
      [40, "accepted"],
      [35, "rejected"],
      [30, "accepted"],
    ]);
    expect(sells[1]?.statusReason).toMatch(/max position size exceeded/);
  });

  // The scenario of issue 19 item 8: a SOL market maker with orderQuantity 20, spread 1 bps,
  // 5 levels 0.3 bps apart, refreshed every 4 s, and maxTotalNotional 4 400 (≈ 30 SOL) — once
  // with the position limit off (as reported: the position reached −80), once with 30 SOL.
  // Quotes every 250 ms of simulated time for 5 minutes, the mid a random walk kept in
  // [146, 148]; four fixed walks (a seeded sample, the same paths on every run). Exposure
  // checked at one mark may grow with the mark afterwards, by at most 148 / 146: the tolerance
  // of the notional bound. The position limit holds exactly.
  const maxTotalNotional = 4_400;
  const tolerance = 148 / 146;
  const walks = fc.sample(
    fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 1_200, maxLength: 1_200 }),
    { seed: 1_908, numRuns: 4 },
  );

  it.each([
    { maxPositionSize: 0, positionBound: (maxTotalNotional * tolerance) / 146 },
    { maxPositionSize: 30, positionBound: 30 },
  ])(
    "keeps a SOL market maker within total notional and position (limit $maxPositionSize) on any path",
    ({ maxPositionSize, positionBound }) => {
      for (const steps of walks) {
        const run = runMarketMaker({ maxPositionSize, maxTotalNotional }, steps);
        expect(run.maxNotional).toBeLessThanOrEqual(maxTotalNotional * tolerance);
        expect(run.maxPosition).toBeLessThanOrEqual(positionBound + 1e-9);
        // What the engine reports as total notional is that same measure.
        expect(run.maxDifference).toBeLessThan(1e-4);
        // The walk must make it trade, or the limits were never put to the test.
        expect(run.fills).toBeGreaterThan(10);
      }
    },
  );
});

describe("TradingEngine gross leverage (buying power)", () => {
  const sell = (quantity: number, limitPrice?: number): OrderIntent =>
    limitPrice === undefined
      ? { side: "sell", type: "market", quantity }
      : { side: "sell", type: "limit", quantity, limitPrice };

  it("refuses by default exposure past 1 × the portfolio value, open orders counted", () => {
    // Capital 10 000, SOL at 100: a short of 50 (5 000, the fee leaves 9 995 of value), sells
    // of 40 working at 101 (worst case 9 040), then 20 more (11 060) is past the portfolio's
    // value; 9 more (9 949) is within it.
    const { engine, portfolio } = setup({ maxPositionSize: 0, maxTotalNotional: 0 }, 10_000);
    scripted(
      engine,
      "s",
      [[sell(50)], [sell(40, 101)], [sell(20, 101)], [sell(9, 101)]],
      "SOL-USD",
    );
    for (let i = 0; i < 4; i++) engine.onQuote(quoteAt(100, "SOL-USD", 0), T0 + i);
    const orders = engine.orders({ strategyId: "s" }).sort((a, b) => a.createdAt - b.createdAt);
    expect(orders.map((o) => [o.quantity, o.status])).toEqual([
      [50, "filled"],
      [40, "accepted"],
      [20, "rejected"],
      [9, "accepted"],
    ]);
    expect(orders[2]?.statusReason).toMatch(/gross leverage exceeded/);
    expect(portfolio.position("s", "SOL-USD").quantity).toBe(-50);
    const valuation = engine.valuation(T0 + 4);
    expect(engine.totalNotional()).toBeLessThanOrEqual(valuation.totalValue);
    expect(engine.riskUtilization(T0 + 4)).toMatchObject({
      grossLeverage: engine.totalNotional() / valuation.totalValue,
      grossLeverageUtilization: engine.totalNotional() / valuation.totalValue,
    });
  });

  it("keeps cash from going negative with longs, lets closing orders through, and can be raised", () => {
    const { engine, portfolio } = setup({ maxPositionSize: 0, maxTotalNotional: 0 }, 10_000);
    const buy = (quantity: number): OrderIntent => ({ side: "buy", type: "market", quantity });
    scripted(engine, "s", [[buy(90)], [buy(20)], [buy(20)]], "SOL-USD");
    engine.onQuote(quoteAt(100, "SOL-USD", 0, 1_000), T0);
    engine.onQuote(quoteAt(100, "SOL-USD", 0, 1_000), T0 + 1);
    expect(portfolio.position("s", "SOL-USD").quantity).toBe(90);
    expect(engine.valuation(T0 + 1).cash).toBeGreaterThanOrEqual(0);
    engine.setRiskLimits({ maxGrossLeverage: 2 });
    expect(engine.riskLimits.maxGrossLeverage).toBe(2);
    engine.onQuote(quoteAt(100, "SOL-USD", 0, 1_000), T0 + 2);
    expect(portfolio.position("s", "SOL-USD").quantity).toBe(110);
    engine.setRiskLimits({ maxGrossLeverage: 0.5 });
    const [close] = engine.forceClose({ strategyId: "s" }, "flatten", T0 + 3);
    expect(close?.status).toBe("filled");
    expect(portfolio.position("s", "SOL-USD").quantity).toBe(0);
  });

  it("hands the limit on with the risk state, and a state stored without it keeps the setting", () => {
    const first = setup({ maxPositionSize: 0, maxTotalNotional: 0 });
    first.engine.setRiskLimits({ maxGrossLeverage: 3 });
    const stored = first.changes.at(-1)?.risk;
    expect(stored?.limits.maxGrossLeverage).toBe(3);
    const second = setup({ maxPositionSize: 0, maxTotalNotional: 0 });
    second.engine.restore({
      strategies: [],
      openOrders: [],
      positions: [],
      ...(stored === undefined ? {} : { risk: stored }),
    });
    expect(second.engine.riskLimits.maxGrossLeverage).toBe(3);
    const { maxGrossLeverage: _dropped, ...older } = first.engine.riskLimits;
    const third = setup({ maxPositionSize: 0, maxTotalNotional: 0 });
    third.engine.restore({
      strategies: [],
      openOrders: [],
      positions: [],
      risk: { limits: older as RiskLimits, breaker: first.engine.breaker, peakValue: 1e6 },
    });
    expect(third.engine.riskLimits).toMatchObject({ maxGrossLeverage: 1, maxTotalNotional: 0 });
  });
});
