import { describe, expect, it } from "vitest";
import { PaperVenue } from "../execution/paper-venue.js";
import { Portfolio } from "../portfolio/portfolio.js";
import { RiskManager } from "../risk/risk-manager.js";
import type { MarketQuote } from "../shared/market-quote.js";
import { resolveStrategyLimits } from "./strategy-lifecycle.js";
import { EngineRequestError, TradingEngine } from "./trading-engine.js";

const T0 = Date.UTC(2026, 10, 23);
const COOLDOWN_MS = 30_000;
const RULES = {
  rulesOf: () => ({ tickSize: 0.01, lotSize: 0.00001, minQuantity: 0.00001, maxQuantity: 250 }),
};

function setup(prefix = "") {
  let ids = 0;
  const portfolio = new Portfolio(1_000_000);
  const engine = new TradingEngine(
    {
      venue: new PaperVenue(
        { takerFeeBps: 10, makerFeeBps: 2, slippageBps: 0 },
        () => `${prefix}f-${++ids}`,
      ),
      risk: new RiskManager({
        maxPositionSize: 100,
        instrumentMaxPositionSizes: {},
        maxTotalNotional: 0,
        maxOrdersPerSecond: 0,
        maxDrawdown: 0,
      }),
      portfolio,
      instrumentRules: RULES,
      createStrategy: () => ({
        type: "market_making",
        parameters: {},
        onQuote: () => ({ cancel: [], place: [] }),
      }),
      newId: () => `${prefix}o-${++ids}`,
      onChanges: () => undefined,
    },
    { orderTimeoutMs: 60_000, cooldownMs: COOLDOWN_MS, maxQuoteAgeMs: 5_000 },
  );
  return { engine, portfolio };
}

function quote(mid: number): MarketQuote {
  return {
    instrument: "BTC-USD",
    bid: mid - 1,
    ask: mid + 1,
    bidSize: 10,
    askSize: 10,
    last: mid,
    timestamp: 0,
  };
}

/** A strategy that buys 1 BTC once, with a max loss of 50: it goes to ERROR on a fall. */
function startBuyer(engine: TradingEngine, id: string, now: number) {
  let bought = false;
  return engine.startStrategy(
    {
      id,
      name: id,
      type: "market_making",
      instruments: ["BTC-USD"],
      strategy: {
        type: "market_making",
        parameters: {},
        onQuote: () => {
          if (bought) return { cancel: [], place: [] };
          bought = true;
          return { cancel: [], place: [{ side: "buy", type: "market", quantity: 1 }] };
        },
      },
      limits: resolveStrategyLimits({ maxLoss: 50 }),
    },
    now,
  );
}

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
    const second = setup("restarted-");
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
