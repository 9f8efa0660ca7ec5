import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@tse/service-kit";
import { describe, expect, it } from "vitest";
import { BUILT_IN_SYMBOLS } from "../../domain/market/symbol-universe.js";
import { loadSymbolUniverse } from "./simulator-config-file.js";

const directory = mkdtempSync(join(tmpdir(), "simulator-config-"));
const EXAMPLE = new URL("../../../simulator-config.example.yaml", import.meta.url).pathname;
const SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD"];

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadSymbolUniverse", () => {
  it("uses the built-in parameters without a file", () => {
    const universe = loadSymbolUniverse(SYMBOLS, undefined);
    expect(universe.symbols.map((s) => s.symbol)).toEqual(SYMBOLS);
    expect(universe.symbols[0]?.initialPrice).toBe(BUILT_IN_SYMBOLS.BTC?.initialPrice);
  });

  it("applies the example YAML file: overrides per symbol, kept defaults, the matrix", () => {
    const universe = loadSymbolUniverse(SYMBOLS, EXAMPLE);
    const [btc, eth, sol] = universe.symbols;
    expect(btc?.initialPrice).toBe(70_000);
    expect(btc?.annualVolatility).toBe(0.5);
    expect(eth?.annualVolatility).toBe(0.65);
    expect(eth?.initialPrice).toBe(BUILT_IN_SYMBOLS.ETH?.initialPrice);
    expect(eth?.jumps?.intensityPerYear).toBe(8);
    expect(sol?.meanReversion).toEqual({ speedPerYear: 4, anchorPrice: 150 });
    expect(sol?.regime?.turbulentVolatilityMultiplier).toBe(3);
    expect(universe.correlation[0]).toEqual([1, 0.8, 0.7]);
  });

  it("reads JSON as well", () => {
    const path = file(
      "config.json",
      JSON.stringify({ symbols: { "SOL-USD": { initialPrice: 99, tickSize: 0.001 } } }),
    );
    const sol = loadSymbolUniverse(SYMBOLS, path).symbols[2];
    expect(sol?.initialPrice).toBe(99);
    expect(sol?.tickSize).toBe(0.001);
  });

  it.each([
    ["a missing file", () => join(directory, "absent.yaml"), /cannot be read/],
    ["broken YAML", () => file("broken.yaml", "symbols: [unclosed"), /neither valid JSON nor YAML/],
    [
      "an unknown key",
      () => file("typo.yaml", "symbols:\n  BTC-USD:\n    initalPrice: 5\n"),
      /symbols.BTC-USD/,
    ],
    [
      "a negative price",
      () => file("negative.yaml", "symbols:\n  BTC-USD:\n    initialPrice: -5\n"),
      /symbols.BTC-USD.initialPrice/,
    ],
    [
      "a symbol not in SYMBOLS",
      () => file("other.yaml", "symbols:\n  XRP-USD:\n    initialPrice: 1\n"),
      /XRP-USD, which is not in SYMBOLS/,
    ],
    [
      "a matrix of the wrong size",
      () => file("small.yaml", "correlation:\n  - [1, 0.5]\n  - [0.5, 1]\n"),
      /2 rows for the 3 symbols/,
    ],
    [
      "an impossible correlation",
      () =>
        file(
          "impossible.yaml",
          "correlation:\n  - [1, 0.9, 0.9]\n  - [0.9, 1, -0.9]\n  - [0.9, -0.9, 1]\n",
        ),
      /positive definite/,
    ],
    ["a list at the top", () => file("list.yaml", "- 1\n- 2\n"), /expected object/],
    [
      // Issue 19: this passed validation and took every price to 0 during the backfill.
      "a volatility the model cannot take",
      () =>
        file(
          "wild.yaml",
          "symbols:\n  BTC-USD:\n    annualVolatility: 20\n    regime:\n      turbulentVolatilityMultiplier: 20\n      calmToTurbulentPerYear: 5000\n      turbulentToCalmPerYear: 52\n",
        ),
      /symbols.BTC-USD.annualVolatility: .*<=5/,
    ],
    [
      "σ × the turbulent multiplier above 5",
      () =>
        file(
          "turbulent.yaml",
          "symbols:\n  BTC-USD:\n    annualVolatility: 2\n    regime:\n      turbulentVolatilityMultiplier: 3\n      calmToTurbulentPerYear: 10\n      turbulentToCalmPerYear: 52\n",
        ),
      /BTC-USD: annualVolatility × regime.turbulentVolatilityMultiplier must be at most 5 \(got 6\)/,
    ],
    [
      "an initial price under 100 ticks",
      () => file("cheap.yaml", "symbols:\n  SOL-USD:\n    initialPrice: 0.4\n"),
      /SOL-USD: initialPrice must be between 100 and/,
    ],
    [
      "a tick finer than the stores keep",
      () => file("fine.yaml", "symbols:\n  SOL-USD:\n    tickSize: 0.000000001\n"),
      /symbols.SOL-USD.tickSize/,
    ],
  ])("refuses %s with one line naming SIMULATOR_CONFIG", (_name, path, problem) => {
    const error = errorOf(() => loadSymbolUniverse(SYMBOLS, path()));
    expect(error.variable).toBe("SIMULATOR_CONFIG");
    expect(error.message).toMatch(/^invalid configuration: SIMULATOR_CONFIG "/);
    expect(error.message).toMatch(problem);
    expect(error.message).not.toContain("\n");
  });

  it("refuses a malformed SYMBOLS naming SYMBOLS", () => {
    const error = errorOf(() => loadSymbolUniverse(["BTC-USD", "bitcoin"], undefined));
    expect(error.variable).toBe("SYMBOLS");
    expect(error.message).toContain("must look like BTC-USD");
  });
});
