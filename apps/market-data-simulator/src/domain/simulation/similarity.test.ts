import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random/seeded-random.js";
import { kolmogorovSmirnov, pearson, similarity, trendAgreement } from "./similarity.js";

function randomWalk(seed: number, n: number, sigma = 0.01, drift = 0): number[] {
  const random = new SeededRandom(seed);
  const prices = [100];
  for (let i = 1; i < n; i++)
    prices.push((prices[i - 1] as number) * Math.exp(drift + sigma * random.normal()));
  return prices;
}

describe("similarity", () => {
  it("scores a series against itself 1 on every figure", () => {
    const series = randomWalk(1, 500);
    const metrics = similarity(series, series);
    expect(metrics.correlationCoefficient).toBeCloseTo(1, 12);
    expect(metrics.volatilitySimilarity).toBe(1);
    expect(metrics.returnDistributionSimilarity).toBe(1);
    expect(metrics.trendSimilarity).toBe(1);
    expect(metrics.confidenceScore).toBeCloseTo(1, 12);
  });

  it("scores unrelated series lower: no correlation, and a different volatility shows", () => {
    const a = randomWalk(1, 2_000);
    const b = randomWalk(2, 2_000, 0.03);
    const metrics = similarity(a, b);
    // The correlation of independent series of n returns has SE 1/sqrt(n) ≈ 0.022.
    expect(Math.abs(metrics.correlationCoefficient)).toBeLessThan(0.1);
    expect(metrics.volatilitySimilarity).toBeCloseTo(1 / 3, 1);
    expect(metrics.returnDistributionSimilarity).toBeLessThan(0.8);
    expect(metrics.confidenceScore).toBeLessThan(0.6);
    // Same distribution, independent draws: the distribution figure stays high.
    expect(similarity(a, randomWalk(3, 2_000)).returnDistributionSimilarity).toBeGreaterThan(0.9);
  });

  it("needs three prices a side", () => {
    expect(() => similarity([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe("building blocks", () => {
  it("pearson is ±1 for linear relations and 0 for a constant", () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });

  it("the KS distance is 0 for equal samples and 1 for disjoint ones", () => {
    expect(kolmogorovSmirnov([1, 2, 3], [3, 2, 1])).toBe(0);
    expect(kolmogorovSmirnov([1, 2, 3], [10, 11])).toBe(1);
    expect(kolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
  });

  it("trend agreement counts windows moving the same way", () => {
    const up = Array.from({ length: 11 }, (_, i) => i);
    const down = up.map((x) => -x);
    expect(trendAgreement(up, up)).toBe(1);
    expect(trendAgreement(up, down)).toBe(0);
  });
});
