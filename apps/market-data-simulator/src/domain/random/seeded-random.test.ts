import { describe, expect, it } from "vitest";
import { SeededRandom, streamSeed } from "./seeded-random.js";

function draws(random: SeededRandom, n: number, draw: (r: SeededRandom) => number): number[] {
  return Array.from({ length: n }, () => draw(random));
}

describe("SeededRandom", () => {
  it("repeats its sequence for a seed and differs for another seed", () => {
    const a = draws(new SeededRandom(7), 100, (r) => r.normal());
    expect(draws(new SeededRandom(7), 100, (r) => r.normal())).toEqual(a);
    expect(draws(new SeededRandom(8), 100, (r) => r.normal())).not.toEqual(a);
  });

  it("draws uniforms in [0, 1) with mean 1/2 and normals with mean 0, variance 1", () => {
    const random = new SeededRandom(123);
    const n = 200_000;
    const uniforms = draws(random, n, (r) => r.uniform());
    expect(uniforms.every((x) => x >= 0 && x < 1)).toBe(true);
    // Standard error of the mean of U(0,1) over n draws is 0.289/sqrt(n) ≈ 0.00065: 5 SE.
    expect(Math.abs(uniforms.reduce((s, x) => s + x, 0) / n - 0.5)).toBeLessThan(0.0033);
    const normals = draws(random, n, (r) => r.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / n;
    const variance = normals.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    // SE of the sample variance of N(0,1) is sqrt(2/n) ≈ 0.0032: 5 SE.
    expect(Math.abs(variance - 1)).toBeLessThan(0.016);
    // Tails as a normal's: P(|Z| > 3) ≈ 0.0027.
    const tail = normals.filter((x) => Math.abs(x) > 3).length / n;
    expect(tail).toBeGreaterThan(0.0017);
    expect(tail).toBeLessThan(0.0037);
  });
});

describe("streamSeed", () => {
  it("is stable, and differs per name and per run seed", () => {
    expect(streamSeed(42, "BTC-USD")).toBe(streamSeed(42, "BTC-USD"));
    expect(streamSeed(42, "BTC-USD")).not.toBe(streamSeed(42, "ETH-USD"));
    expect(streamSeed(42, "BTC-USD")).not.toBe(streamSeed(43, "BTC-USD"));
    expect(Number.isInteger(streamSeed(42, "BTC-USD"))).toBe(true);
  });
});
