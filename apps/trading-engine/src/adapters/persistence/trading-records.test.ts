import { MemoryTradingStore } from "@tse/trading-data-adapter";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RiskState } from "../../domain/engine/change-set.js";
import {
  NO_ACTIVITY,
  resolveStrategyLimits,
  type StrategySnapshot,
} from "../../domain/engine/strategy-lifecycle.js";
import type { Fill, OrderSnapshot } from "../../domain/orders/order.js";
import type { PositionSnapshot } from "../../domain/portfolio/position.js";
import { MeanReversionStrategy } from "../../domain/strategies/mean-reversion.js";
import {
  fromOrderRecord,
  fromPositionRecord,
  fromRiskStateRecords,
  fromStrategyRecord,
  fromTradeRecord,
  toOrderRecord,
  toPositionRecord,
  toStrategyRecord,
  toTradeRecord,
  toTradingChanges,
} from "./trading-records.js";

const T0 = Date.UTC(2026, 10, 23);

describe("trading records", () => {
  it("stores a strategy's memory with it and reads it back, so a rebuilt strategy goes on from it", async () => {
    const learnt = new MeanReversionStrategy({
      lookback: 5,
      sampleIntervalMs: 1_000,
      orderQuantity: 1,
    });
    [100, 101, 99, 100.5, 102, 98].forEach((mid, i) => {
      learnt.memory.sample("ETH-USD", mid, T0 + i * 1_000);
    });
    const store = new MemoryTradingStore();
    await store.commit(
      toTradingChanges(
        {
          strategies: [
            {
              id: "mr",
              name: "mr",
              type: "mean_reversion",
              instruments: ["ETH-USD"],
              parameters: learnt.parameters,
              limits: resolveStrategyLimits({}),
              status: "active",
              statusReason: "",
              createdAt: T0,
              updatedAt: T0,
              activity: NO_ACTIVITY,
              state: learnt.memory.save(),
            },
          ],
          orders: [],
          fills: [],
          positions: [],
        },
        T0,
      ),
    );
    const [record] = (await store.loadState()).strategies;
    const snapshot = fromStrategyRecord(record ?? expect.fail("no strategy stored"));
    expect(snapshot.state).toEqual({
      samples: { "ETH-USD": { values: [101, 99, 100.5, 102, 98], lastSampleAt: T0 + 5_000 } },
    });
    expect(snapshot.activity).toEqual(NO_ACTIVITY);

    const rebuilt = new MeanReversionStrategy(snapshot.parameters);
    rebuilt.memory.restore(snapshot.state);
    expect(rebuilt.zScore("ETH-USD", 103)).toBe(learnt.zScore("ETH-USD", 103));
    expect(rebuilt.zScore("ETH-USD", 103)).toBeDefined();
  });
});

/** Epoch ms a `Date` holds exactly. */
const instant = fc.integer({ min: 0, max: 8_640_000_000_000 });
const amount = fc.double({ noNaN: true, noDefaultInfinity: true });
const count = fc.nat();
const id = fc.string({ minLength: 1, maxLength: 40 });
const instrument = fc.constantFrom("BTC-USD", "ETH-USD", "SOL-USD");
const side = fc.constantFrom("buy" as const, "sell" as const);

/** Records of every `required` key and each `optional` key left out or given. */
function withOptional<R extends object, O extends object>(
  required: { [K in keyof R]: fc.Arbitrary<R[K]> },
  optional: { [K in keyof O]: fc.Arbitrary<O[K]> },
): fc.Arbitrary<R & Partial<O>> {
  return fc.record({ ...required, ...optional } as Record<string, fc.Arbitrary<unknown>>, {
    requiredKeys: Object.keys(required),
  }) as unknown as fc.Arbitrary<R & Partial<O>>;
}

const strategy = withOptional(
  {
    id,
    name: fc.string(),
    type: fc.constantFrom("market_making" as const, "mean_reversion" as const),
    instruments: fc.array(instrument, { minLength: 1, maxLength: 3 }),
    parameters: fc.dictionary(fc.string(), fc.oneof(amount, fc.string(), fc.boolean())),
    limits: fc.record({
      maxPosition: amount,
      maxNotional: amount,
      maxOpenOrders: count,
      maxLoss: amount,
    }),
    status: fc.constantFrom(
      "inactive" as const,
      "active" as const,
      "paused" as const,
      "stopped" as const,
      "error" as const,
    ),
    statusReason: fc.string(),
    createdAt: instant,
    updatedAt: instant,
    activity: fc.record({
      orderCount: count,
      fillCount: count,
      tradedNotional: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
    }),
  },
  {
    startedAt: instant,
    stoppedAt: instant,
    state: fc.dictionary(fc.string(), fc.jsonValue()),
  },
) as fc.Arbitrary<StrategySnapshot>;

const fill = (orderId: string, strategyId: string | undefined) =>
  fc.record({
    id,
    orderId: fc.constant(orderId),
    strategyId: fc.constant(strategyId),
    instrument,
    side,
    price: amount,
    quantity: amount,
    fee: amount,
    liquidity: fc.constantFrom("maker" as const, "taker" as const),
    timestamp: instant,
  }) as fc.Arbitrary<Fill>;

// The spec's `reason` is not stored as such: it is the order's first status reason, which is.
const order = withOptional(
  {
    id,
    clientOrderId: id,
    instrument,
    side,
    type: fc.constantFrom("market" as const, "limit" as const),
    quantity: amount,
    filledQuantity: amount,
    averageFillPrice: amount,
    fees: amount,
    status: fc.constantFrom(
      "pending" as const,
      "submitted" as const,
      "accepted" as const,
      "partially_filled" as const,
      "filled" as const,
      "cancelled" as const,
      "rejected" as const,
      "expired" as const,
    ),
    statusReason: fc.string(),
    createdAt: instant,
    expiresAt: instant,
    updatedAt: instant,
  },
  {
    strategyId: id,
    limitPrice: amount,
    submittedAt: instant,
    acceptedAt: instant,
    partiallyFilledAt: instant,
    filledAt: instant,
    cancelledAt: instant,
    rejectedAt: instant,
    expiredAt: instant,
  },
).chain((spec) =>
  fc
    .array(fill(spec.id, spec.strategyId), { maxLength: 3 })
    .map((fills): OrderSnapshot => ({ strategyId: undefined, ...spec, fills })),
);

const position = withOptional(
  {
    strategyId: id,
    instrument,
    quantity: amount,
    averageEntryPrice: amount,
    realizedPnl: amount,
    feesPaid: amount,
    updatedAt: instant,
  },
  { openedAt: instant },
) as fc.Arbitrary<PositionSnapshot>;

const riskState = fc.record({
  limits: fc.record({
    maxPositionSize: amount,
    instrumentMaxPositionSizes: fc.dictionary(instrument, amount),
    maxTotalNotional: amount,
    maxOrdersPerSecond: count,
    maxDrawdown: amount,
    maxGrossLeverage: amount,
  }),
  breaker: withOptional(
    {
      engaged: fc.boolean(),
      trigger: fc.constantFrom("manual" as const, "drawdown" as const, undefined),
      reason: fc.string(),
    },
    { engagedAt: instant, disengagedAt: instant },
  ),
  peakValue: amount,
}) as fc.Arbitrary<RiskState>;

describe("trading records: domain → record → domain (what a restart reads back)", () => {
  it("gives back every strategy, order with its fills, fill and position as it was", () => {
    fc.assert(
      fc.property(strategy, order, position, (s, o, p) => {
        expect(fromStrategyRecord(toStrategyRecord(s))).toEqual(s);
        expect(fromOrderRecord(toOrderRecord(o), o.fills.map(toTradeRecord))).toEqual(o);
        for (const f of o.fills) expect(fromTradeRecord(toTradeRecord(f))).toEqual(f);
        expect(fromPositionRecord(toPositionRecord(p))).toEqual(p);
      }),
    );
  });

  it("gives back the risk state an operation stored with its changes", () => {
    fc.assert(
      fc.property(riskState, instant, (risk, now) => {
        const changes = toTradingChanges(
          { strategies: [], orders: [], fills: [], positions: [], risk },
          now,
        );
        expect(fromRiskStateRecords(changes.engineState ?? [])).toEqual(risk);
      }),
    );
  });
});
