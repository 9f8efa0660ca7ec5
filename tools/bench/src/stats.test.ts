import { describe, expect, it } from "vitest";
import { percentile, summarize } from "./stats.js";

describe("summarize", () => {
  it("computes median, nearest-rank percentiles, extremes and mean", () => {
    const stats = summarize([5, 1, 4, 2, 3]);
    expect(stats).toEqual({ rounds: 5, median: 3, p50: 3, p99: 5, min: 1, max: 5, mean: 3 });
  });

  it("interpolates the median of an even count but not p50", () => {
    expect(summarize([1, 2, 3, 10])).toMatchObject({ median: 2.5, p50: 2, p99: 10 });
  });

  it("refuses an empty sample and percentiles outside (0, 100]", () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("p99 of 1..1000 is 990", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(990);
    expect(percentile(values, 50)).toBe(500);
  });
});
