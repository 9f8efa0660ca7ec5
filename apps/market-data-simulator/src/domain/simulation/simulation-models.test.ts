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
  dataPoints: 1_000,
  includeNoise: false,
  noiseLevel: 0,
};

describe("simulate", () => {
  it.each(SIMULATION_MODELS)(
    "%s: reproducible, the requested length, positive, from the last price",
    (model) => {
      const a = simulate(model, history, params, new SeededRandom(1));
      expect(simulate(model, history, params, new SeededRandom(1))).toEqual(a);
      expect(simulate(model, history, params, new SeededRandom(2))).not.toEqual(a);
      expect(a).toHaveLength(1_000);
      expect(a[0]).toBe(history.at(-1));
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
    const long = { ...params, dataPoints: 5_000, volatilityFactor: 3 };
    const spread = (prices: number[]) =>
      Math.max(...prices.map((p) => Math.abs(Math.log(p) - level)));
    const reverting = simulate("MEAN_REVERSION", history, long, new SeededRandom(5));
    const wandering = simulate("MONTE_CARLO", history, long, new SeededRandom(5));
    expect(spread(reverting)).toBeLessThan(spread(wandering));
  });

  it("momentum makes returns positively autocorrelated", () => {
    const simulated = simulate("TREND_FOLLOWING", history, params, new SeededRandom(6));
    const r = logReturns(simulated);
    const lag = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      let num = 0;
      let den = 0;
      for (let i = 0; i < xs.length; i++) {
        den += ((xs[i] as number) - m) ** 2;
        if (i > 0) num += ((xs[i] as number) - m) * ((xs[i - 1] as number) - m);
      }
      return num / den;
    };
    expect(lag(r)).toBeGreaterThan(0.1);
    expect(Math.abs(lag(logReturns(history)))).toBeLessThan(0.1);
  });

  it("noise adds volatility when asked for", () => {
    const quiet = simulate("MONTE_CARLO", history, params, new SeededRandom(7));
    const noisy = simulate(
      "MONTE_CARLO",
      history,
      { ...params, includeNoise: true, noiseLevel: 1 },
      new SeededRandom(7),
    );
    expect(standardDeviation(logReturns(noisy))).toBeGreaterThan(
      standardDeviation(logReturns(quiet)) * 1.2,
    );
  });

  it("refuses bad parameters and too little history", () => {
    expect(() => validateSimulationParameters({ ...params, dataPoints: 2 })).toThrow(/data_points/);
    expect(() => validateSimulationParameters({ ...params, dataPoints: 11 }, 10)).toThrow(
      /data_points/,
    );
    expect(() => validateSimulationParameters({ ...params, volatilityFactor: 0 })).toThrow(
      /volatility_factor/,
    );
    expect(() => validateSimulationParameters({ ...params, trendFactor: Number.NaN })).toThrow(
      /trend_factor/,
    );
    expect(() => validateSimulationParameters({ ...params, noiseLevel: 2 })).toThrow(/noise_level/);
    expect(() => simulate("MONTE_CARLO", [1, 2], params, new SeededRandom(1))).toThrow(RangeError);
  });
});
