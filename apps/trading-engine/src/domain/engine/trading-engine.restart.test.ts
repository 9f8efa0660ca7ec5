import { describe, expect, it } from "vitest";
import { quoteAround, startStrategy, T0, testEngine } from "../../testing/engine-fixtures.js";
import type { OrderSnapshot } from "../orders/order.js";
import type { PositionSnapshot } from "../portfolio/position.js";
import { MeanReversionStrategy } from "../strategies/mean-reversion.js";
import type { EngineChanges } from "./change-set.js";
import type { StrategySnapshot } from "./strategy-lifecycle.js";
import type { TradingEngine } from "./trading-engine.js";

/** One quote a second around 3 000 ETH: a wobble, then a spike up, a fall back, a dip. */
const MIDS = [
  3_000, 3_001, 2_999, 3_000.5, 2_999.5, 3_001, 3_000, 2_999, 3_000, 3_001.5, 3_000.5, 2_999.5,
  3_012, 3_006, 3_000, 2_999, 2_988, 2_994, 3_000, 3_001, 2_999, 3_000,
];
const quoteAt = (i: number) => quoteAround(MIDS[i] ?? 3_000, 0.5, { instrument: "ETH-USD" });

const startMeanReversion = (target: TradingEngine) =>
  startStrategy(
    target,
    new MeanReversionStrategy({
      lookback: 10,
      sampleIntervalMs: 1_000,
      entryZScore: 1.5,
      orderQuantity: 0.5,
    }),
    { id: "mr", instrument: "ETH-USD" },
  );

/** What a decision looks like from outside, ids aside. */
const decisions = (orders: readonly OrderSnapshot[]) =>
  orders
    .map((o) => ({ at: o.createdAt, side: o.side, type: o.type, quantity: o.quantity }))
    .sort((a, b) => a.at - b.at);

/** The newest of each strategy and position the engine handed to persistence. */
function stored(changes: readonly EngineChanges[]) {
  const strategies = new Map<string, StrategySnapshot>();
  const positions = new Map<string, PositionSnapshot>();
  for (const change of changes) {
    for (const s of change.strategies) strategies.set(s.id, s);
    for (const p of change.positions) positions.set(`${p.strategyId}/${p.instrument}`, p);
  }
  return { strategies: [...strategies.values()], positions: [...positions.values()] };
}

describe("TradingEngine restart of a mean-reversion strategy", () => {
  it("saves a strategy sampling on every quote at most once a second", () => {
    const { engine: target, changes } = testEngine();
    startStrategy(target, new MeanReversionStrategy({ sampleIntervalMs: 1, orderQuantity: 0.5 }), {
      id: "fast",
      instrument: "ETH-USD",
    });
    for (let i = 0; i < 50; i++) target.onQuote(quoteAt(i % MIDS.length), T0 + i * 100);
    // Other changes of the strategy carry its last saved memory along: count the saves.
    const saves = [...new Set(changes.flatMap((c) => c.strategies).map((s) => s.state))].filter(
      (state) => state !== undefined,
    );
    const samples = (state: object) =>
      (state as { samples: Record<string, { values: number[] }> }).samples["ETH-USD"]?.values
        .length;
    // 50 quotes 100 ms apart, a sample on each: saved at the 1st, 11th, 21st, 31st and 41st
    // quote, each save holding every sample up to it (20 at most: the default lookback).
    expect(saves.map(samples)).toEqual([1, 11, 20, 20, 20]);
  });

  it("decides after a restart as the uninterrupted strategy does: its samples are kept", () => {
    const RESTART_AFTER = 11;
    const uninterrupted = testEngine();
    startMeanReversion(uninterrupted.engine);
    for (let i = 0; i < MIDS.length; i++) uninterrupted.engine.onQuote(quoteAt(i), T0 + i * 1_000);
    const later = uninterrupted.engine
      .orders({ limit: 1_000 })
      .filter((o) => o.createdAt >= T0 + RESTART_AFTER * 1_000);
    // The run trades after the restart point: an entry on the spike, a close on the way back.
    expect(later.length).toBeGreaterThanOrEqual(2);

    const before = testEngine();
    startMeanReversion(before.engine);
    for (let i = 0; i < RESTART_AFTER; i++) before.engine.onQuote(quoteAt(i), T0 + i * 1_000);
    const state = stored(before.changes);

    const after = testEngine();
    after.engine.restore({
      strategies: state.strategies,
      openOrders: [],
      positions: state.positions,
    });
    for (let i = RESTART_AFTER; i < MIDS.length; i++) {
      after.engine.onQuote(quoteAt(i), T0 + i * 1_000);
    }
    expect(decisions(after.engine.orders({ limit: 1_000 }))).toEqual(decisions(later));
    expect(after.portfolio.position("mr", "ETH-USD").quantity).toBe(
      uninterrupted.portfolio.position("mr", "ETH-USD").quantity,
    );
  });
});
