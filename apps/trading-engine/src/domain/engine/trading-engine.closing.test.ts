import { describe, expect, it } from "vitest";
import {
  marketOrder as market,
  quote as quoteOf,
  scriptedStrategy,
  startStrategy,
  T0,
  testEngine,
} from "../../testing/engine-fixtures.js";
import { FINE_SOL_RULES, uniformRules } from "../../testing/instrument-grids.js";
import type { OrderIntent } from "../strategies/trading-strategy.js";
import type { TradingEngine } from "./trading-engine.js";

/** An engine whose only SOL-USD limit is a per-instrument position limit of 10. */
const setup = () =>
  testEngine({
    rules: uniformRules(FINE_SOL_RULES),
    limits: { instrumentMaxPositionSizes: { "SOL-USD": 10 } },
  });

const quote = () => quoteOf(99.99, 100.01, { instrument: "SOL-USD", size: 100, last: 100 });

/** A strategy placing `script[n]` on its n-th quote; `tight`: own limits at its position of 10. */
const scripted = (engine: TradingEngine, id: string, script: OrderIntent[][], tight = false) =>
  startStrategy(engine, scriptedStrategy(script), {
    id,
    instrument: "SOL-USD",
    limits: tight ? { maxPosition: 10, maxNotional: 1_001, maxOpenOrders: 1 } : {},
  });

/**
 * A long 10 and B short 10 SOL-USD: the net position is flat, and closing A alone moves it by
 * 10 in B's direction.
 */
function oppositePositions(sellsWorking: boolean) {
  const { engine, portfolio } = setup();
  // A's own limits sit at its position: a close must not be judged by them either.
  scripted(engine, "a", [[market("buy", 10)]], true);
  engine.onQuote(quote(), T0);
  scripted(engine, "b", [
    [market("sell", 10)],
    sellsWorking ? [{ side: "sell", type: "limit", quantity: 5, limitPrice: 120 }] : [],
  ]);
  engine.onQuote(quote(), T0 + 1);
  engine.onQuote(quote(), T0 + 2);
  expect(portfolio.position("a", "SOL-USD").quantity).toBe(10);
  expect(portfolio.position("b", "SOL-USD").quantity).toBe(-10);
  return { engine, portfolio };
}

describe("TradingEngine closing orders (the kill switch) pass every pre-trade limit", () => {
  it("flattens a strategy by ForcePositionClose while another holds the opposite position and sells", () => {
    const { engine, portfolio } = oppositePositions(true);
    // B's sell of 5 works: net 0, −5 once it fills. Closing A (sell 10) would take the net
    // position to −15, past the limit of 10 — as a new order it is refused, as a close it goes.
    expect(engine.orders({ strategyId: "b", statuses: ["accepted"] })).toHaveLength(1);
    const orders = engine.forceClose({ strategyId: "a" }, "kill switch", T0 + 3);
    expect(orders.map((o) => [o.side, o.quantity, o.status])).toEqual([["sell", 10, "filled"]]);
    expect(portfolio.position("a", "SOL-USD").quantity).toBe(0);
    expect(engine.riskUtilization(T0 + 3).rejectedOrders).toBe(0);
  });

  it("flattens a stopped strategy after the instrument's limit was lowered below the other's position", () => {
    const { engine, portfolio } = oppositePositions(false);
    engine.setRiskLimits({ instrumentMaxPositionSizes: { "SOL-USD": 5 }, maxOrdersPerSecond: 1 });
    const stopped = engine.stopStrategy("a", true, T0 + 3);
    expect(stopped.status).toBe("stopped");
    const closes = engine.orders({ strategyId: "a" }).filter((o) => o.side === "sell");
    expect(closes.map((o) => [o.quantity, o.status, o.statusReason])).toEqual([
      [10, "filled", "strategy stopped"],
    ]);
    expect(portfolio.position("a", "SOL-USD").quantity).toBe(0);
    // The order rate limit (1 a second, used by the close of A) does not hold back B's close.
    engine.forceClose({ strategyId: "b" }, "kill switch", T0 + 3);
    expect(portfolio.position("b", "SOL-USD").quantity).toBe(0);
  });

  it("still judges a strategy's own orders that would move the net position past the limit", () => {
    const { engine } = oppositePositions(true);
    scripted(engine, "c", [[market("sell", 6)]]);
    engine.onQuote(quote(), T0 + 3);
    const [order] = engine.orders({ strategyId: "c" });
    expect(order?.status).toBe("rejected");
    expect(order?.statusReason).toMatch(/max position size exceeded/);
  });
});
