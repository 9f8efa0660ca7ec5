import { describe, expect, it } from "vitest";
import {
  marketOrder,
  quote,
  refusalKind,
  scriptedStrategy,
  T0,
} from "../../testing/engine-fixtures.js";
import { executionParts } from "../../testing/execution-fixtures.js";
import type {
  StrategyDecision,
  StrategyView,
  TradingStrategy,
} from "../strategies/trading-strategy.js";
import { STALE_FEED_REASON } from "./strategy-roster.js";

const BTC = quote(100, 101, { timestamp: T0 });

/** A strategy that records every view it is given and answers with `decide`. */
function watching(
  decide: (view: StrategyView) => StrategyDecision = () => ({ cancel: [], place: [] }),
) {
  const views: StrategyView[] = [];
  const strategy: TradingStrategy = {
    type: "market_making",
    parameters: {},
    onQuote: (view) => {
      views.push(view);
      return decide(view);
    },
  };
  return { strategy, views };
}

const resting = (side: "buy" | "sell", limitPrice: number) =>
  ({ side, type: "limit", quantity: 1, limitPrice }) as const;

describe("StrategyRunner.run", () => {
  it("activates an INACTIVE strategy on a quote of its instrument and lets it decide", () => {
    const parts = executionParts();
    const { strategy, views } = watching();
    const managed = parts.add("s", strategy);
    parts.runner.run(quote(100, 101, { instrument: "ETH-USD" }), T0);
    expect(managed.snapshot.status).toBe("inactive");
    expect(views).toHaveLength(0);
    parts.runner.run(BTC, T0 + 1);
    expect(managed.snapshot.status).toBe("active");
    expect(views).toHaveLength(1);
  });

  it("asks only the strategy named by `only`", () => {
    const parts = executionParts();
    const a = watching();
    const b = watching();
    parts.add("a", a.strategy);
    parts.add("b", b.strategy);
    parts.runner.run(BTC, T0, "b");
    expect([a.views.length, b.views.length]).toEqual([0, 1]);
  });

  it("decides nothing while the feed is stale, and nothing while the breaker is engaged", () => {
    const parts = executionParts();
    const { strategy, views } = watching();
    const managed = parts.add("s", strategy);
    parts.quotes.stale = true;
    parts.runner.run(BTC, T0);
    expect(managed.snapshot.status).toBe("inactive");
    parts.quotes.stale = false;
    parts.risk.engage("manual", "maintenance", T0);
    parts.runner.run(BTC, T0);
    expect(managed.snapshot.status).toBe("active");
    expect(views).toHaveLength(0);
  });

  it("shows the strategy its position, its own working orders and its position limit", () => {
    const parts = executionParts({ limits: { maxPositionSize: 50 } });
    const { strategy, views } = watching();
    const mine = parts.add("s", strategy);
    const other = parts.add("o");
    parts.execution.place(mine, "BTC-USD", marketOrder("buy", 2), T0);
    const bid = parts.execution.place(mine, "BTC-USD", resting("buy", 90), T0);
    parts.execution.place(other, "BTC-USD", resting("buy", 91), T0);
    parts.runner.run(BTC, T0 + 1, "s");
    expect(views[0]).toMatchObject({
      now: T0 + 1,
      position: 2,
      averageEntryPrice: 101,
      maxPosition: 50,
      openOrders: [{ id: bid?.id, side: "buy", type: "limit", remaining: 1, limitPrice: 90 }],
      rules: { tickSize: 0.01 },
    });
  });

  it("prefers the strategy's own position limit to the engine's", () => {
    const parts = executionParts({ limits: { maxPositionSize: 50 } });
    const { strategy, views } = watching();
    parts.add("s", strategy, { maxPosition: 3 });
    parts.runner.run(BTC, T0);
    expect(views[0]?.maxPosition).toBe(3);
  });

  it("cancels only the strategy's own open orders among those it names, then places", () => {
    const parts = executionParts();
    const other = parts.add("o");
    const theirs = parts.execution.place(other, "BTC-USD", resting("buy", 90), T0);
    let ownId = "";
    const { strategy } = watching((view) =>
      view.openOrders.length === 0
        ? { cancel: [], place: [resting("sell", 110)] }
        : { cancel: [ownId, theirs?.id ?? ""], place: [resting("sell", 111)] },
    );
    const managed = parts.add("s", strategy);
    parts.runner.run(BTC, T0, "s");
    ownId = parts.orders.open((o) => o.strategyId === "s")[0]?.id ?? "";
    parts.runner.run(BTC, T0 + 1, "s");
    expect(parts.orders.get(ownId)?.snapshot()).toMatchObject({
      status: "cancelled",
      statusReason: "replaced by the strategy",
    });
    expect(theirs?.status).toBe("accepted");
    expect(
      parts.orders.open((o) => o.strategyId === "s").map((o) => o.snapshot().limitPrice),
    ).toEqual([111]);
    expect(managed.snapshot.status).toBe("active");
  });

  it("puts a strategy that throws into ERROR and cancels its orders", () => {
    const parts = executionParts();
    let call = 0;
    const { strategy } = watching(() => {
      call += 1;
      if (call === 2) throw new Error("division by zero");
      return { cancel: [], place: [resting("buy", 90)] };
    });
    const managed = parts.add("s", strategy);
    parts.runner.run(BTC, T0);
    parts.runner.run(BTC, T0 + 1);
    expect(managed.snapshot).toMatchObject({
      status: "error",
      statusReason: "strategy failed: division by zero",
    });
    expect(parts.orders.open()).toEqual([]);
  });

  it("puts a strategy that asks for an impossible order into ERROR", () => {
    const parts = executionParts();
    const managed = parts.add("s", scriptedStrategy([[marketOrder("buy", Number.NaN)]]));
    parts.runner.run(BTC, T0);
    expect(managed.snapshot.status).toBe("error");
    expect(managed.snapshot.statusReason).toMatch(/^strategy produced an invalid order: quantity/);
  });

  it("stops placing a decision's orders once the breaker is engaged", () => {
    const parts = executionParts();
    const managed = parts.add(
      "s",
      scriptedStrategy([[marketOrder("buy", 1), marketOrder("buy", 1)]]),
    );
    const placed: string[] = [];
    const original = parts.execution.place.bind(parts.execution);
    parts.execution.place = (...args) => {
      const order = original(...args);
      placed.push(order?.id ?? "");
      parts.risk.engage("manual", "after the first", T0);
      return order;
    };
    parts.runner.run(BTC, T0);
    expect(placed).toHaveLength(1);
    expect(managed.snapshot.activity.orderCount).toBe(1);
  });
});

describe("StrategyRunner requests", () => {
  it("stops a strategy: cancels its orders, closes its positions when asked, STOPPED", () => {
    const parts = executionParts();
    const managed = parts.add("s");
    parts.execution.place(managed, "BTC-USD", marketOrder("buy", 2), T0);
    parts.execution.place(managed, "BTC-USD", resting("buy", 90), T0);
    parts.runner.stop(managed, true, T0 + 1);
    expect(managed.snapshot).toMatchObject({
      status: "stopped",
      statusReason: "stopped by request",
    });
    expect(parts.orders.open()).toEqual([]);
    expect(parts.portfolio.position("s", "BTC-USD").quantity).toBe(0);
  });

  it("keeps a position when the stop does not close, and keeps ERROR as it is", () => {
    const parts = executionParts();
    const managed = parts.add("s");
    parts.execution.place(managed, "BTC-USD", marketOrder("buy", 2), T0);
    parts.runner.fail(managed, "broken", T0);
    parts.runner.stop(managed, false, T0 + 1);
    expect(managed.snapshot).toMatchObject({ status: "error", statusReason: "broken" });
    expect(parts.portfolio.position("s", "BTC-USD").quantity).toBe(2);
  });

  it("pauses only an ACTIVE strategy, and resumes only a PAUSED one while the breaker is off", async () => {
    const parts = executionParts();
    const managed = parts.add("s");
    expect(await refusalKind(() => parts.runner.pauseByRequest(managed, "x", T0))).toBe(
      "failed_precondition",
    );
    parts.runner.run(BTC, T0);
    parts.runner.resume(managed, T0);
    expect(managed.snapshot.status).toBe("active");
    parts.runner.pauseByRequest(managed, "lunch", T0);
    parts.runner.pauseByRequest(managed, "again", T0);
    expect(managed.snapshot).toMatchObject({ status: "paused", statusReason: "lunch" });
    parts.risk.engage("manual", "maintenance", T0);
    expect(await refusalKind(() => parts.runner.resume(managed, T0))).toBe("failed_precondition");
    parts.risk.disengage(0, T0);
    parts.runner.resume(managed, T0);
    expect(managed.snapshot.status).toBe("active");
    parts.runner.stop(managed, false, T0);
    expect(await refusalKind(() => parts.runner.resume(managed, T0))).toBe("failed_precondition");
  });

  it("pauses ACTIVE and INACTIVE strategies on a stale feed and resumes only those it paused", () => {
    const parts = executionParts();
    const active = parts.add("active");
    const inactive = parts.add("inactive", undefined, {}, ["ETH-USD"]);
    const paused = parts.add("paused");
    parts.runner.run(BTC, T0);
    parts.runner.pauseByRequest(paused, "by hand", T0);
    parts.runner.feedStaleChanged(true, T0 + 1);
    expect([active, inactive].map((m) => m.snapshot.statusReason)).toEqual([
      STALE_FEED_REASON,
      STALE_FEED_REASON,
    ]);
    expect(paused.snapshot.statusReason).toBe("by hand");
    parts.runner.feedStaleChanged(false, T0 + 2);
    expect([active, inactive, paused].map((m) => m.snapshot.status)).toEqual([
      "active",
      "active",
      "paused",
    ]);
  });

  it("puts a strategy into ERROR once its PnL reaches −maxLoss, not before", () => {
    const parts = executionParts();
    const managed = parts.add("s", undefined, { maxLoss: 10 });
    parts.execution.place(managed, "BTC-USD", marketOrder("buy", 1), T0);
    // Bought at 101 with a fee of 0.101: marked at 91.101 the loss is exactly 10.
    parts.portfolio.mark("BTC-USD", 91.2);
    parts.runner.enforceMaxLoss(T0);
    expect(managed.snapshot.status).toBe("inactive");
    parts.portfolio.mark("BTC-USD", 91.101);
    parts.runner.enforceMaxLoss(T0);
    expect(managed.snapshot.status).toBe("error");
    expect(managed.snapshot.statusReason).toMatch(/^max loss reached: PnL -10 ≤ −10$/);
  });

  it("cuts an ERROR reason to 500 characters", () => {
    const parts = executionParts();
    const managed = parts.add("s");
    parts.runner.fail(managed, "x".repeat(600), T0);
    expect(managed.snapshot.statusReason).toBe(`${"x".repeat(499)}…`);
  });

  it("pauses the holders of matching non-flat positions that can be paused", () => {
    const parts = executionParts();
    const holder = parts.add("holder");
    const flat = parts.add("flat");
    const stopped = parts.add("stopped");
    parts.execution.place(holder, "BTC-USD", marketOrder("buy", 1), T0);
    parts.execution.place(stopped, "BTC-USD", marketOrder("buy", 1), T0);
    parts.runner.stop(stopped, false, T0);
    parts.runner.pauseHolders((p) => p.instrument === "BTC-USD", "force close", T0);
    expect([holder, flat, stopped].map((m) => m.snapshot.status)).toEqual([
      "paused",
      "inactive",
      "stopped",
    ]);
  });
});
