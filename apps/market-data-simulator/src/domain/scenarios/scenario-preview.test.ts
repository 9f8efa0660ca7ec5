import { describe, expect, it } from "vitest";
import { buildUniverse } from "../market/symbol-universe.js";
import type { ScenarioSpec } from "./scenario.js";
import { targetLogMove } from "./scenario.js";
import {
  MAX_PREVIEW_POINTS,
  previewPointCount,
  previewScenario,
  type ScenarioPreviewPoint,
} from "./scenario-preview.js";

const T0 = Date.UTC(2026, 10, 23);
const [btc] = buildUniverse(["BTC-USD"]).symbols;
if (btc === undefined) throw new Error("no BTC-USD");

function spec(overrides: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    type: "RALLY",
    symbols: ["BTC-USD"],
    intensity: 1,
    durationSeconds: 300,
    recoveryFactor: 0,
    gradualTransition: false,
    ...overrides,
  };
}

function preview(overrides: Partial<ScenarioSpec> = {}, stepMs = 1_000, seed = 7) {
  return [
    ...previewScenario({
      config: btc as NonNullable<typeof btc>,
      spec: spec(overrides),
      startPrice: 65_000,
      startTime: T0,
      stepMs,
      seed,
    }),
  ];
}

const ratio = (point: ScenarioPreviewPoint | undefined) =>
  point === undefined ? Number.NaN : point.price / point.baselinePrice;

describe("previewScenario", () => {
  it("is reproducible by seed, and a different seed gives a different path", () => {
    expect(preview()).toEqual(preview());
    // Volumes on the stores' 8 decimals, without float noise.
    expect(preview().every((p) => Number(p.volume.toFixed(8)) === p.volume)).toBe(true);
    expect(preview().map((p) => p.baselinePrice)).not.toEqual(
      preview({}, 1_000, 8).map((p) => p.baselinePrice),
    );
  });

  it("covers the main phase, then the recovery, with one point per step", () => {
    const main = preview({ recoveryFactor: 0 });
    expect(main).toHaveLength(301);
    expect(main.at(-1)?.timestamp).toBe(T0 + 300_000);
    expect(main.every((point) => point.phase === "main")).toBe(true);
    const withRecovery = preview({ recoveryFactor: 0.5 });
    expect(withRecovery).toHaveLength(601);
    expect(withRecovery[300]?.phase).toBe("main");
    expect(withRecovery[301]?.phase).toBe("recovery");
    expect(previewPointCount(spec({ recoveryFactor: 0.5 }), 1_000)).toBe(601);
  });

  it("moves a rally by its target over the same random path, and intensity scales it", () => {
    const single = ratio(preview({ intensity: 1 }).at(-1));
    const double = ratio(preview({ intensity: 2 }).at(-1));
    expect(Math.log(single)).toBeCloseTo(targetLogMove("RALLY", 1), 3);
    expect(Math.log(double)).toBeCloseTo(targetLogMove("RALLY", 2), 3);
    expect(preview()[0]).toMatchObject({ price: 65_000, baselinePrice: 65_000, volume: 0 });
  });

  it("gives a crash back by the recovery factor", () => {
    const path = preview({ type: "CRASH", intensity: 1, recoveryFactor: 0.5 });
    const bottom = Math.log(ratio(path[300]));
    expect(bottom).toBeCloseTo(targetLogMove("CRASH", 1), 3);
    expect(Math.log(ratio(path.at(-1)))).toBeCloseTo(bottom * 0.5, 3);
  });

  it("shows the same move with a coarse step as with a fine one", () => {
    const coarse = preview({ type: "FLASH_CRASH", recoveryFactor: 0 }, 60_000);
    const fine = preview({ type: "FLASH_CRASH", recoveryFactor: 0 }, 1_000);
    expect(coarse).toHaveLength(6);
    expect(Math.log(ratio(coarse.at(-1)))).toBeCloseTo(Math.log(ratio(fine.at(-1))), 2);
    expect(Math.log(ratio(coarse[1]))).toBeCloseTo(targetLogMove("FLASH_CRASH", 1), 2);
  });

  it("raises volatility in a spike", () => {
    const path = preview({ type: "VOLATILITY_SPIKE", intensity: 2 });
    const realized = (prices: number[]) => {
      const returns = prices.slice(1).map((p, i) => Math.log(p / (prices[i] as number)));
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      return Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
    };
    const spiked = realized(path.map((p) => p.price));
    const calm = realized(path.map((p) => p.baselinePrice));
    expect(spiked / calm).toBeGreaterThan(3);
  });

  it("freezes the price of a stale feed while the baseline moves", () => {
    const path = preview({ type: "STALE_FEED" });
    expect(new Set(path.map((p) => p.price)).size).toBe(1);
    expect(new Set(path.map((p) => p.baselinePrice)).size).toBeGreaterThan(100);
    expect(path.every((p) => p.volume === 0)).toBe(true);
  });

  it("trades on the scenario path: volume is positive and plausible for a day's rate", () => {
    const path = preview({}, 10_000);
    const total = path.reduce((sum, p) => sum + p.volume, 0);
    const expected = ((btc?.baseVolumePerDay ?? 0) * 300) / 86_400;
    expect(total).toBeGreaterThan(expected * 0.3);
    expect(total).toBeLessThan(expected * 3);
  });

  it("refuses a preview that is too long, a bad step, or the wrong symbol, before computing", () => {
    expect(() => preview({ durationSeconds: 86_400 }, 1)).toThrow(
      new RegExp(`more than ${MAX_PREVIEW_POINTS}`),
    );
    expect(() => preview({}, 0)).toThrow(/stepMs/);
    expect(() => preview({ symbols: ["ETH-USD"] })).toThrow(/BTC-USD first/);
    expect(() => preview({ intensity: 0 })).toThrow(/intensity/);
  });
});
