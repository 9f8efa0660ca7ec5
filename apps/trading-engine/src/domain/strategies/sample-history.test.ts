import { describe, expect, it } from "vitest";
import { SampleHistory } from "./sample-history.js";

const T0 = Date.UTC(2026, 10, 23);

describe("SampleHistory", () => {
  it("samples once per interval, keeps the newest lookback, and counts versions", () => {
    const history = new SampleHistory(3, 1_000);
    for (let i = 0; i < 10; i++) history.sample("ETH-USD", 100 + i, T0 + i * 500);
    expect(history.values("ETH-USD")).toEqual([104, 106, 108]);
    expect(history.version).toBe(5);
  });

  it("restores what it saved, and skips what is not well-formed", () => {
    const history = new SampleHistory(3, 1_000);
    for (let i = 0; i < 4; i++) history.sample("ETH-USD", 100 + i, T0 + i * 1_000);
    const copy = new SampleHistory(2, 1_000);
    copy.restore({
      samples: {
        ...history.save().samples,
        "BTC-USD": { values: [1, Number.NaN], lastSampleAt: T0 },
        "SOL-USD": { values: [1], lastSampleAt: null },
      },
    });
    expect(copy.values("ETH-USD")).toEqual([102, 103]);
    expect(copy.values("BTC-USD")).toEqual([]);
    expect(copy.values("SOL-USD")).toEqual([]);
    // The saved sample time holds: no new sample until the interval since it has passed.
    copy.sample("ETH-USD", 200, T0 + 3_500);
    expect(copy.values("ETH-USD")).toEqual([102, 103]);
    for (const bad of [undefined, null, 42, "x", { samples: [] }, { samples: null }]) {
      expect(() => new SampleHistory(2, 1).restore(bad)).not.toThrow();
    }
  });
});
