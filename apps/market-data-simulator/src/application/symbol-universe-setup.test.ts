import { describe, expect, it } from "vitest";
import { setUpUniverse } from "./symbol-universe-setup.js";

describe("setUpUniverse", () => {
  it("builds the symbols in their order, with their overrides", () => {
    const universe = setUpUniverse(["BTC-USD", "ETH-USD"], { "ETH-USD": { initialPrice: 3_000 } });
    expect(universe.symbols.map((s) => s.symbol)).toEqual(["BTC-USD", "ETH-USD"]);
    expect(universe.symbols[1]?.initialPrice).toBe(3_000);
  });

  it("refuses a correlation with a row count other than the symbols'", () => {
    expect(() => setUpUniverse(["BTC-USD", "ETH-USD"], {}, [[1]])).toThrow(
      "correlation has 1 rows for the 2 symbols of SYMBOLS",
    );
  });

  it("refuses a correlation matrix that is no correlation (not positive definite)", () => {
    const notPositiveDefinite = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => setUpUniverse(["BTC-USD", "ETH-USD", "SOL-USD"], {}, notPositiveDefinite)).toThrow(
      RangeError,
    );
  });
});
