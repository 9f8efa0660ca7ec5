import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random/seeded-random.js";
import { logReturns, similarity, standardDeviation } from "./similarity.js";
import {
  SIMULATION_MODELS,
  type SimulationParameters,
  simulate,
  validateSimulationParameters,
} from "./simulation-models.js";

const history = (() => {
  const random = new SeededRandom(99);
  const prices = [100];
  for (let i = 1; i < 1_000; i++)
    prices.push((prices[i - 1] as number) * Math.exp(0.0002 + 0.01 * random.normal()));
  return prices;
})();

const params: SimulationParameters = {
  volatilityFactor: 1,
  trendFactor: 1,
  noiseLevel: 0,
};

/** Lag-1 autocorrelation of a series (the usual estimator, around the full-sample mean). */
function lag1(xs: readonly number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    den += ((xs[i] as number) - m) ** 2;
    if (i > 0) num += ((xs[i] as number) - m) * ((xs[i - 1] as number) - m);
  }
  return num / den;
}

/** Prices whose log returns follow an AR(1) with coefficient `phi` and sd 1 %. */
function autocorrelatedHistory(phi: number, seed: number, length = 2_000): number[] {
  const random = new SeededRandom(seed);
  const prices = [100];
  let previous = 0;
  for (let i = 1; i < length; i++) {
    const r = phi * previous + 0.01 * Math.sqrt(1 - phi * phi) * random.normal();
    prices.push((prices[i - 1] as number) * Math.exp(r));
    previous = r;
  }
  return prices;
}

describe("simulate", () => {
  it.each(SIMULATION_MODELS)(
    "%s: reproducible, over the history's points, positive, from its first price",
    (model) => {
      const a = simulate(model, history, params, new SeededRandom(1));
      expect(simulate(model, history, params, new SeededRandom(1))).toEqual(a);
      expect(simulate(model, history, params, new SeededRandom(2))).not.toEqual(a);
      expect(a).toHaveLength(history.length);
      expect(a[0]).toBe(history[0]);
      expect(a.every((price) => price > 0 && Number.isFinite(price))).toBe(true);
    },
  );

  it("calibrated models reproduce the historical volatility; the factor scales it", () => {
    const sigma = standardDeviation(logReturns(history));
    for (const model of ["STATISTICAL_SIMILARITY", "MONTE_CARLO", "TREND_FOLLOWING"] as const) {
      const simulated = simulate(model, history, params, new SeededRandom(3));
      expect(standardDeviation(logReturns(simulated)) / sigma).toBeGreaterThan(0.85);
      expect(standardDeviation(logReturns(simulated)) / sigma).toBeLessThan(1.15);
      const doubled = simulate(
        model,
        history,
        { ...params, volatilityFactor: 2 },
        new SeededRandom(3),
      );
      expect(standardDeviation(logReturns(doubled)) / sigma).toBeGreaterThan(1.7);
    }
  });

  it("the bootstrap's return distribution matches the history's", () => {
    const simulated = simulate("STATISTICAL_SIMILARITY", history, params, new SeededRandom(4));
    expect(similarity(history, simulated).returnDistributionSimilarity).toBeGreaterThan(0.9);
  });

  it("mean reversion stays near the historical level; GBM wanders further", () => {
    const logs = history.map(Math.log);
    const level = logs.reduce((s, x) => s + x, 0) / logs.length;
    const long = { ...params, volatilityFactor: 3 };
    const spread = (prices: number[]) =>
      Math.max(...prices.map((p) => Math.abs(Math.log(p) - level)));
    const reverting = simulate("MEAN_REVERSION", history, long, new SeededRandom(5));
    const wandering = simulate("MONTE_CARLO", history, long, new SeededRandom(5));
    expect(spread(reverting)).toBeLessThan(spread(wandering));
  });
});

describe("simulate: momentum calibrated on the history", () => {
  // 2 000 points: the sd of a lag-1 autocorrelation estimate is about 1/√2000 ≈ 0.022, so a
  // tolerance of 0.07 is over three of them; the seeds are fixed, so the figures are too.
  const TOLERANCE = 0.07;

  it("keeps an uncorrelated history's (near-zero) autocorrelation instead of forcing one", () => {
    const uncorrelated = autocorrelatedHistory(0, 40);
    const historical = lag1(logReturns(uncorrelated));
    expect(Math.abs(historical)).toBeLessThan(0.05);
    for (const seed of [6, 16, 26]) {
      const simulated = simulate("TREND_FOLLOWING", uncorrelated, params, new SeededRandom(seed));
      expect(Math.abs(lag1(logReturns(simulated)) - historical)).toBeLessThan(TOLERANCE);
    }
  });

  it.each([0.3, 0.6, -0.3])("reproduces an AR(1) history's autocorrelation %s", (phi) => {
    const trending = autocorrelatedHistory(phi, 41);
    const historical = lag1(logReturns(trending));
    expect(Math.abs(historical - phi)).toBeLessThan(TOLERANCE);
    for (const seed of [7, 17]) {
      const simulated = simulate("TREND_FOLLOWING", trending, params, new SeededRandom(seed));
      expect(Math.abs(lag1(logReturns(simulated)) - historical)).toBeLessThan(TOLERANCE);
    }
  });

  it("scales the calibrated momentum by the trend factor, within (−0.95, 0.95)", () => {
    const trending = autocorrelatedHistory(0.6, 42);
    const historical = lag1(logReturns(trending));
    const half = simulate(
      "TREND_FOLLOWING",
      trending,
      { ...params, trendFactor: 0.5 },
      new SeededRandom(8),
    );
    expect(Math.abs(lag1(logReturns(half)) - historical / 2)).toBeLessThan(TOLERANCE);
    const strong = simulate(
      "TREND_FOLLOWING",
      trending,
      { ...params, trendFactor: 10 },
      new SeededRandom(8),
    );
    expect(Math.abs(lag1(logReturns(strong)) - 0.95)).toBeLessThan(TOLERANCE);
  });
});

describe("simulate: observation noise", () => {
  // sd of simulated log returns with noise n on every price: √(σ² + 2n²). Tolerance 5 %: the
  // sd of a sample sd over 1 000 returns is about 2.2 %.
  const sigma = standardDeviation(logReturns(history));

  it.each([0.001, 0.01, 0.1])(
    "noise_level %s multiplies every price by exp(noise_level × Z), independently",
    (noiseLevel) => {
      const quiet = simulate("MONTE_CARLO", history, params, new SeededRandom(7));
      const noisy = simulate(
        "MONTE_CARLO",
        history,
        { ...params, noiseLevel },
        new SeededRandom(7),
      );
      const expected = Math.sqrt(sigma ** 2 + 2 * noiseLevel ** 2);
      expect(standardDeviation(logReturns(noisy)) / expected).toBeGreaterThan(0.95);
      expect(standardDeviation(logReturns(noisy)) / expected).toBeLessThan(1.05);
      // The same path underneath: the log ratio to it is the noise alone, not a random walk.
      const ratio = noisy.slice(1).map((p, i) => Math.log(p / (quiet[i + 1] as number)));
      expect(standardDeviation(ratio) / noiseLevel).toBeGreaterThan(0.95);
      expect(standardDeviation(ratio) / noiseLevel).toBeLessThan(1.05);
      expect(Math.abs(ratio.at(-1) as number)).toBeLessThan(4 * noiseLevel);
      expect(noisy[0]).toBe(history[0]);
    },
  );
});

describe("validateSimulationParameters", () => {
  it.each([
    ["volatility_factor", { volatilityFactor: 0 }],
    ["volatility_factor", { volatilityFactor: 10.01 }],
    ["volatility_factor", { volatilityFactor: 50 }],
    ["trend_factor", { trendFactor: Number.NaN }],
    ["trend_factor", { trendFactor: 50 }],
    ["trend_factor", { trendFactor: -10.01 }],
    ["noise_level", { noiseLevel: 0.5 }],
    ["noise_level", { noiseLevel: -0.001 }],
  ])("refuses %s out of range (%j), naming it", (field, change) => {
    expect(() => validateSimulationParameters({ ...params, ...change })).toThrow(
      new RegExp(`^${field}`),
    );
  });

  it("accepts the bounds and refuses too little history", () => {
    const bounds = { volatilityFactor: 10, trendFactor: -10, noiseLevel: 0.1 };
    expect(validateSimulationParameters(bounds)).toEqual(bounds);
    expect(() => simulate("MONTE_CARLO", [1, 2], params, new SeededRandom(1))).toThrow(RangeError);
  });
});
