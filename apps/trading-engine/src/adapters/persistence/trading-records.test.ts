import { MemoryTradingStore } from "@tse/trading-data-adapter";
import { describe, expect, it } from "vitest";
import { NO_ACTIVITY, resolveStrategyLimits } from "../../domain/engine/strategy-lifecycle.js";
import { MeanReversionStrategy } from "../../domain/strategies/mean-reversion.js";
import { fromStrategyRecord, toTradingChanges } from "./trading-records.js";

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
