import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { OrderStatus } from "@tse/proto/trading/v1/trading_pb";
import { describe, expect, it } from "vitest";
import { RiskDesk } from "../../application/risk-desk.js";
import { strategyOf } from "../../application/trading-desk.js";
import { resolveStrategyLimits } from "../../domain/engine/strategy-lifecycle.js";
import { TradingEngine } from "../../domain/engine/trading-engine.js";
import { PaperVenue } from "../../domain/execution/paper-venue.js";
import { Portfolio } from "../../domain/portfolio/portfolio.js";
import { RiskManager } from "../../domain/risk/risk-manager.js";
import type { MarketQuote } from "../../domain/shared/market-quote.js";
import { registerRiskV1 } from "./risk-v1-service.js";

const T0 = Date.UTC(2026, 10, 23);
const STALE_AFTER_MS = 5_000;
const RULES = {
  rulesOf: () => ({ tickSize: 0.01, lotSize: 0.00001, minQuantity: 0.00001, maxQuantity: 0 }),
};

/** An engine holding a 2 BTC position bought at T0, behind the risk service on a test clock. */
function engineWithPosition() {
  let ids = 0;
  let now = T0;
  const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;
  const portfolio = new Portfolio(1_000_000);
  const engine = new TradingEngine(
    {
      venue: new PaperVenue({ takerFeeBps: 10, makerFeeBps: 2, slippageBps: 0 }, newId, RULES),
      instrumentRules: RULES,
      risk: new RiskManager({
        maxPositionSize: 5,
        instrumentMaxPositionSizes: {},
        maxTotalNotional: 0,
        maxOrdersPerSecond: 0,
        maxDrawdown: 0,
      }),
      portfolio,
      createStrategy: strategyOf,
      newId,
      onChanges: () => undefined,
    },
    { orderTimeoutMs: 60_000, cooldownMs: 0, maxQuoteAgeMs: STALE_AFTER_MS },
  );
  let bought = false;
  engine.startStrategy(
    {
      id: "buyer",
      name: "buyer",
      type: "market_making",
      instruments: ["BTC-USD"],
      strategy: {
        type: "market_making",
        parameters: {},
        onQuote: () => {
          if (bought) return { cancel: [], place: [] };
          bought = true;
          return { cancel: [], place: [{ side: "buy", type: "market", quantity: 2 }] };
        },
      },
      limits: resolveStrategyLimits({}),
    },
    now,
  );
  const quote = (bid: number, ask: number): MarketQuote => ({
    instrument: "BTC-USD",
    bid,
    ask,
    bidSize: 10,
    askSize: 10,
    last: bid,
    timestamp: now,
  });
  engine.onQuote(quote(9_999, 10_001), now);
  const risk = createClient(
    RiskService,
    createRouterTransport((router) =>
      registerRiskV1(
        router,
        new RiskDesk({ engine, catalog: { has: async () => true }, now: () => now }),
        () => now,
      ),
    ),
  );
  return {
    engine,
    portfolio,
    risk,
    /** Lets time pass without a quote (the feed silent). */
    wait: (ms: number) => {
      now += ms;
    },
    tick: (bid: number, ask: number, advanceMs: number) => {
      now += advanceMs;
      engine.onQuote(quote(bid, ask), now);
    },
  };
}

describe("trading.v1.RiskService ForcePositionClose on a stale feed", () => {
  it("answers with a working close order that fills on the next fresh quote, after its creation", async () => {
    const { engine, portfolio, risk, wait, tick } = engineWithPosition();
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(2);
    wait(8_000);
    const { orders } = await risk.forcePositionClose({ reason: "kill switch" });
    expect(orders).toHaveLength(1);
    const [close] = orders;
    // The truth at the time of the answer: placed and working, nothing filled on the old price.
    expect(close).toMatchObject({ status: OrderStatus.ACCEPTED, filledQuantity: 0 });
    expect(close?.fills).toEqual([]);
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(2);

    tick(9_500, 9_502, 1_000);
    const filled = engine.order(close?.id ?? "");
    expect(filled).toMatchObject({ status: "filled", averageFillPrice: 9_500 });
    expect(filled?.fills.map((f) => f.timestamp)).toEqual([T0 + 9_000]);
    expect(close?.createdAt && timestampMs(close.createdAt)).toBe(T0 + 8_000);
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(0);
  });
});
