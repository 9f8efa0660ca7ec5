import { InMemoryMetrics } from "@tse/metrics-port";
import { describe, expect, it } from "vitest";
import type { EngineChanges } from "../domain/engine/change-set.js";
import { MarketMakingStrategy } from "../domain/strategies/market-making.js";
import {
  marketOrder,
  quote,
  scriptedStrategy,
  startStrategy,
  T0,
  testEngine,
} from "../testing/engine-fixtures.js";
import { TradingChangeSink, type UpdateStreamLimits } from "./trading-change-sink.js";
import type { TradingHistory } from "./trading-history.js";
import { TRADING_METRICS } from "./trading-metrics.js";

/** A sink wired to the engine as `compose()` wires it, recording what reaches the store. */
function setup(limits: UpdateStreamLimits = { maxStreams: 4, maxStreamBacklog: 100 }) {
  const stored: EngineChanges[] = [];
  const history: TradingHistory = {
    record: (changes) => stored.push(changes),
    orders: async () => [],
    order: async () => undefined,
  };
  const metrics = new InMemoryMetrics();
  let clockMs = 0;
  const sink = new TradingChangeSink(
    {
      history,
      metrics,
      elapsedMs: () => {
        clockMs += 0.25;
        return clockMs;
      },
    },
    limits,
  );
  const { engine } = testEngine({
    capital: 100_000,
    limits: { maxPositionSize: 1 },
    ...sink.enginePorts(),
  });
  return { sink, engine, stored, metrics };
}

const marketMaker = () =>
  new MarketMakingStrategy({ orderQuantity: 1, spreadBps: 20, refreshIntervalMs: 60_000 });

describe("TradingChangeSink", () => {
  it("stores every operation's changes and streams its orders and positions", async () => {
    const { sink, engine, stored } = setup();
    const orders = sink.orderUpdates.subscribe();
    const positions = sink.positionUpdates.subscribe();
    startStrategy(engine, marketMaker(), { id: "mm" });
    engine.onQuote(quote(9_999, 10_001), T0);
    engine.onQuote(quote(9_980, 9_985), T0 + 100);

    expect(stored.flatMap((c) => c.fills)).toHaveLength(1);
    const streamed = await orders.next();
    expect(streamed?.map((o) => [o.side, o.status]).sort()).toEqual([
      ["buy", "filled"],
      ["sell", "accepted"],
    ]);
    expect((await positions.next())?.map((p) => [p.instrument, p.quantity])).toEqual([
      ["BTC-USD", 1],
    ]);
  });

  it("counts an order's status once however many flushes repeat it, and every fill", () => {
    const { sink, engine, stored, metrics } = setup();
    startStrategy(engine, marketMaker(), { id: "mm" });
    engine.onQuote(quote(9_999, 10_001), T0);
    const accepted = { strategy: "mm", status: "accepted" };
    expect(metrics.counter(TRADING_METRICS.orders, accepted)).toBe(2);

    const resting = stored.flatMap((c) => c.orders).filter((o) => o.status === "accepted");
    sink.handleChanges({ strategies: [], orders: resting, fills: [], positions: [] });
    expect(metrics.counter(TRADING_METRICS.orders, accepted)).toBe(2);

    engine.onQuote(quote(9_980, 9_985), T0 + 100);
    expect(metrics.counter(TRADING_METRICS.orders, { strategy: "mm", status: "filled" })).toBe(1);
    expect(
      metrics.counter(TRADING_METRICS.fills, { strategy: "mm", side: "buy", liquidity: "maker" }),
    ).toBe(1);
  });

  it("counts risk rejections by limit and times every risk check", () => {
    const { engine, metrics } = setup();
    startStrategy(engine, scriptedStrategy([[marketOrder("buy", 5)]]), { id: "big" });
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(metrics.counter(TRADING_METRICS.rejections, { limit: "max_position_size" })).toBe(1);
    const timings = metrics.histogram(TRADING_METRICS.riskCheck);
    expect(timings).toEqual([0.00025]);
  });

  it("ends an order stream that falls further behind than the backlog allows", async () => {
    const { sink, engine } = setup({ maxStreams: 1, maxStreamBacklog: 1 });
    const slow = sink.orderUpdates.subscribe();
    startStrategy(engine, marketMaker(), { id: "mm" });
    engine.onQuote(quote(9_999, 10_001), T0);
    expect(slow.overflowed).toBe(true);
    expect(await slow.next()).toBeUndefined();
    expect(() => sink.orderUpdates.subscribe()).not.toThrow();
  });
});
