import { describe, expect, it } from "vitest";
import { choleskyFactor } from "./cholesky.js";

function multiplyByTranspose(lower: number[][]): number[][] {
  return lower.map((row) =>
    lower.map((other) => row.reduce((s, x, k) => s + x * (other[k] as number), 0)),
  );
}

describe("choleskyFactor", () => {
  it("factors a correlation matrix so that L·Lᵀ gives it back", () => {
    const matrix = [
      [1, 0.8, 0.6],
      [0.8, 1, 0.7],
      [0.6, 0.7, 1],
    ];
    const lower = choleskyFactor(matrix);
    expect(lower[0]?.[1]).toBe(0);
    const back = multiplyByTranspose(lower);
    for (const [i, row] of back.entries()) {
      for (const [j, value] of row.entries())
        expect(value).toBeCloseTo(matrix[i]?.[j] as number, 12);
    }
  });

  it("keeps earlier rows when a symbol is appended (so its shocks do not change theirs)", () => {
    const two = choleskyFactor([
      [1, 0.5],
      [0.5, 1],
    ]);
    const three = choleskyFactor([
      [1, 0.5, 0.2],
      [0.5, 1, 0.3],
      [0.2, 0.3, 1],
    ]);
    expect(three[0]?.slice(0, 2)).toEqual(two[0]);
    expect(three[1]?.slice(0, 2)).toEqual(two[1]);
  });

  it("refuses matrices no set of series can have, saying why", () => {
    expect(() =>
      choleskyFactor([
        [1, 0.9, 0.9],
        [0.9, 1, -0.9],
        [0.9, -0.9, 1],
      ]),
    ).toThrow(/positive definite/);
    expect(() =>
      choleskyFactor([
        [1, 0.5],
        [0.4, 1],
      ]),
    ).toThrow(/symmetric/);
    expect(() => choleskyFactor([[2]])).toThrow(/must be 1/);
    expect(() =>
      choleskyFactor([
        [1, 1.5],
        [1.5, 1],
      ]),
    ).toThrow(/within \[-1, 1\]/);
    expect(() => choleskyFactor([[1, 0], [0]])).toThrow(/entries/);
  });
});
