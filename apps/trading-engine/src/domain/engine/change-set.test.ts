import { describe, expect, it } from "vitest";
import type { Fill, OrderSnapshot } from "../orders/order.js";
import { flatPosition } from "../portfolio/position.js";
import { ChangeSet, type RiskState } from "./change-set.js";
import { NO_ACTIVITY, type StrategySnapshot } from "./strategy-lifecycle.js";

const T0 = Date.UTC(2026, 10, 23);

const strategy = (id: string, statusReason = ""): StrategySnapshot => ({
  id,
  name: id,
  type: "market_making",
  instruments: ["BTC-USD"],
  parameters: {},
  limits: { maxPosition: 0, maxNotional: 0, maxOpenOrders: 50, maxLoss: 0 },
  status: "active",
  statusReason,
  createdAt: T0,
  updatedAt: T0,
  activity: NO_ACTIVITY,
});

const order = (id: string, status: OrderSnapshot["status"]): OrderSnapshot => ({
  id,
  clientOrderId: id,
  strategyId: "s",
  instrument: "BTC-USD",
  side: "buy",
  type: "market",
  quantity: 1,
  createdAt: T0,
  expiresAt: T0 + 60_000,
  filledQuantity: 0,
  averageFillPrice: 0,
  fees: 0,
  status,
  statusReason: "",
  updatedAt: T0,
  fills: [],
});

const fill = (id: string): Fill => ({
  id,
  orderId: "o",
  strategyId: "s",
  instrument: "BTC-USD",
  side: "buy",
  price: 100,
  quantity: 1,
  fee: 0,
  liquidity: "taker",
  timestamp: T0,
});

const RISK: RiskState = {
  limits: {
    maxPositionSize: 0,
    instrumentMaxPositionSizes: {},
    maxTotalNotional: 0,
    maxOrdersPerSecond: 0,
    maxDrawdown: 0,
    maxGrossLeverage: 0,
  },
  breaker: { engaged: false, trigger: undefined, reason: "" },
  peakValue: 1_000,
};

describe("ChangeSet", () => {
  it("takes nothing when nothing changed", () => {
    expect(new ChangeSet().take(() => RISK)).toBeUndefined();
  });

  it("takes each changed strategy, order and position once in its last state, fills all in order", () => {
    const changes = new ChangeSet();
    changes.order(order("a", "pending"));
    changes.strategy(strategy("s", "first"));
    changes.order(order("b", "pending"));
    changes.order(order("a", "accepted"));
    changes.strategy(strategy("s", "second"));
    changes.fill(fill("f1"));
    changes.fill(fill("f2"));
    changes.position({ ...flatPosition("s", "BTC-USD", T0), quantity: 1 });
    changes.position({ ...flatPosition("t", "BTC-USD", T0), quantity: 3 });
    changes.position({ ...flatPosition("s", "BTC-USD", T0), quantity: 2 });

    const taken = changes.take(() => RISK);
    expect(taken?.orders.map((o) => [o.id, o.status])).toEqual([
      ["a", "accepted"],
      ["b", "pending"],
    ]);
    expect(taken?.strategies.map((s) => s.statusReason)).toEqual(["second"]);
    expect(taken?.fills.map((f) => f.id)).toEqual(["f1", "f2"]);
    expect(taken?.positions.map((p) => [p.strategyId, p.quantity])).toEqual([
      ["s", 2],
      ["t", 3],
    ]);
    expect(taken?.risk).toBeUndefined();
    expect(changes.take(() => RISK)).toBeUndefined();
  });

  it("carries the risk state when it changed, asked for after the set is emptied", () => {
    const changes = new ChangeSet();
    changes.riskChanged();
    let emptyWhenAsked: boolean | undefined;
    const taken = changes.take(() => {
      emptyWhenAsked = changes.take(() => RISK) === undefined;
      return RISK;
    });
    expect(taken).toEqual({ strategies: [], orders: [], fills: [], positions: [], risk: RISK });
    expect(emptyWhenAsked).toBe(true);
    expect(changes.take(() => RISK)).toBeUndefined();
  });
});
