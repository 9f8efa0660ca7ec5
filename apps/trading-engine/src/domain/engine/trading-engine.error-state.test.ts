import { describe, expect, it } from "vitest";
import {
  marketOrder,
  quoteAround,
  scriptedStrategy,
  sequentialIds,
  startStrategy,
  T0,
  testEngine,
} from "../../testing/engine-fixtures.js";
import { EngineRequestError } from "./engine-request-error.js";
import type { TradingEngine } from "./trading-engine.js";

const COOLDOWN_MS = 30_000;

/** An engine with a position limit of 100 and the cooldown; restored strategies do nothing. */
const setup = (series = 0) =>
  testEngine({
    limits: { maxPositionSize: 100 },
    timing: { cooldownMs: COOLDOWN_MS },
    ids: sequentialIds(series),
    createStrategy: () => scriptedStrategy([]),
  });

const quote = (mid: number) => quoteAround(mid, 1);

/** A strategy that buys 1 BTC once, with a max loss of 50: it goes to ERROR on a fall. */
const startBuyer = (engine: TradingEngine, id: string, at: number) =>
  startStrategy(engine, scriptedStrategy([[marketOrder("buy", 1)]]), {
    id,
    at,
    limits: { maxLoss: 50 },
  });

/** Trips the buyer's max loss: bought at 10 001, marked at 9 900. */
function tripMaxLoss(engine: TradingEngine, id: string) {
  startBuyer(engine, id, T0);
  engine.onQuote(quote(10_000), T0);
  engine.onQuote(quote(9_900), T0 + 1_000);
  expect(engine.strategy(id)).toMatchObject({ status: "error", stoppedAt: T0 + 1_000 });
  expect(engine.strategy(id).statusReason).toMatch(/max loss reached/);
}

const startRefusal = (act: () => unknown) => {
  try {
    act();
    return "started";
  } catch (error) {
    if (error instanceof EngineRequestError) return error.message;
    throw error;
  }
};

describe("a strategy in ERROR (issue 19 items 9 and 10)", () => {
  it("is flattened by StopStrategy with closePositions, and stays in ERROR", () => {
    const { engine, portfolio } = setup();
    tripMaxLoss(engine, "s");
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(1);
    const stopped = engine.stopStrategy("s", true, T0 + 2_000);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(0);
    expect(stopped).toMatchObject({ status: "error", stoppedAt: T0 + 1_000 });
    const closes = engine.orders({ strategyId: "s" }).filter((o) => o.side === "sell");
    expect(closes.map((o) => [o.type, o.status, o.statusReason])).toEqual([
      ["market", "filled", "strategy stopped"],
    ]);
    // Without closePositions a stop of a finished strategy changes nothing.
    expect(engine.stopStrategy("s", false, T0 + 3_000)).toBe(engine.strategy("s"));
  });

  it("closes what a strategy stopped without closing still holds when asked to later", () => {
    const { engine, portfolio } = setup();
    startBuyer(engine, "s", T0);
    engine.onQuote(quote(10_000), T0);
    engine.stopStrategy("s", false, T0 + 1);
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(1);
    expect(engine.stopStrategy("s", true, T0 + 2)).toMatchObject({
      status: "stopped",
      stoppedAt: T0 + 1,
    });
    expect(portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("starts the cooldown on its instruments, as a restart from the stored state does", () => {
    const first = setup();
    tripMaxLoss(first.engine, "s");
    // The same state restored in a second engine, as after a restart.
    const second = setup(1);
    second.engine.restore({
      strategies: first.engine.strategies(),
      openOrders: [],
      positions: first.portfolio.positions(),
    });
    for (const { engine } of [first, second]) {
      expect(startRefusal(() => startBuyer(engine, "early", T0 + 11_000))).toMatch(
        /stopped 10 s ago: the cooldown ends in 20 s/,
      );
      expect(startRefusal(() => startBuyer(engine, "late", T0 + 1_000 + COOLDOWN_MS))).toBe(
        "started",
      );
    }
  });
});
