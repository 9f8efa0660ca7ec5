import { describe, expect, it } from "vitest";
import { priceBoundsOf } from "./price-bounds.js";
import { BUILT_IN_SYMBOLS, buildUniverse, DEFAULT_SYMBOLS } from "./symbol-universe.js";

// market-simulator.test.ts covers the built-in and generic parameters, the price bounds and the
// refusals; this file adds the order, the default correlations and the built-in table itself.
describe("buildUniverse", () => {
  it("keeps the symbols in the order given, which the reproducibility contract depends on", () => {
    const order = ["SOL-USD", "BTC-USD", "ETH-USD"];
    expect(buildUniverse(order).symbols.map((s) => s.symbol)).toEqual(order);
  });

  it("correlates 0.75 with BTC, 0.6 between other pairs, 1 with itself, symmetrically", () => {
    const { correlation } = buildUniverse(["ETH-USD", "BTC-USD", "SOL-USD", "BTC-EUR"]);
    expect(correlation).toEqual([
      [1, 0.75, 0.6, 0.75],
      [0.75, 1, 0.75, 0.75],
      [0.6, 0.75, 1, 0.75],
      [0.75, 0.75, 0.75, 1],
    ]);
  });

  it("uses a given correlation as it is", () => {
    const given = [
      [1, 0.1],
      [0.1, 1],
    ];
    expect(buildUniverse(["BTC-USD", "ETH-USD"], {}, given).correlation).toBe(given);
  });

  it("starts every built-in pair inside its price bounds, in the default symbols too", () => {
    const universe = buildUniverse(Object.keys(BUILT_IN_SYMBOLS).map((base) => `${base}-USD`));
    for (const symbol of universe.symbols) {
      expect(symbol.priceBounds).toEqual(priceBoundsOf(symbol.tickSize));
      expect(symbol.initialPrice).toBeGreaterThanOrEqual(symbol.priceBounds.min);
    }
    expect(buildUniverse(DEFAULT_SYMBOLS).symbols.map((s) => s.base)).toEqual([
      "BTC",
      "ETH",
      "SOL",
    ]);
  });
});
