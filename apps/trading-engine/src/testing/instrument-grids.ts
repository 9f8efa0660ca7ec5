import type { InstrumentCatalog } from "../application/trading-desk.js";
import type { InstrumentRules, InstrumentRulesSource } from "../domain/orders/instrument-rules.js";

/** BTC-USD's order grid as the simulator's ListSymbols gives it. */
export const BTC_RULES: InstrumentRules = {
  tickSize: 0.01,
  lotSize: 0.00001,
  minQuantity: 0.00001,
  maxQuantity: 250,
};

/** ETH-USD's order grid as the simulator's ListSymbols gives it. */
export const ETH_RULES: InstrumentRules = {
  tickSize: 0.01,
  lotSize: 0.0001,
  minQuantity: 0.0001,
  maxQuantity: 3_000,
};

/** SOL-USD's order grid as the simulator's ListSymbols gives it. */
export const SOL_RULES: InstrumentRules = {
  tickSize: 0.01,
  lotSize: 0.01,
  minQuantity: 0.01,
  maxQuantity: 5_000,
};

/**
 * SOL-USD's tick with a lot of 0.001 and a maximum of 10 000: fine and wide enough that tests
 * of the risk limits trade exactly the quantities they name.
 */
export const FINE_SOL_RULES: InstrumentRules = {
  tickSize: 0.01,
  lotSize: 0.001,
  minQuantity: 0.001,
  maxQuantity: 10_000,
};

/** The simulator's default symbols and their grids. */
export const SIMULATOR_SYMBOLS: ReadonlyMap<string, InstrumentRules | undefined> = new Map([
  ["BTC-USD", BTC_RULES],
  ["ETH-USD", ETH_RULES],
  ["SOL-USD", SOL_RULES],
]);

/** Rules that are the same for every instrument; `undefined`: never known. */
export function uniformRules(rules: InstrumentRules | undefined): InstrumentRulesSource {
  return { rulesOf: () => rules };
}

/**
 * A feed's catalog listing exactly `symbols`, each with its grid (a symbol listed with
 * `undefined` has rules the engine cannot use).
 */
export function catalogOf(
  symbols: ReadonlyMap<string, InstrumentRules | undefined>,
): InstrumentCatalog & InstrumentRulesSource {
  return {
    has: async (instrument) => symbols.has(instrument),
    rulesOf: (instrument) => symbols.get(instrument),
  };
}

/**
 * Whether `value` is a whole multiple of `step`, judged independently of the code under test:
 * in exact decimal arithmetic on the value's 8-decimal text, which must be the value itself.
 */
export function onGrid(value: number, step: number): boolean {
  const units = (x: number) => BigInt(x.toFixed(8).replace(".", ""));
  const onScale =
    Math.abs(Number(value.toFixed(8)) - value) <= Math.abs(value) * 4 * Number.EPSILON;
  return onScale && units(value) % units(step) === 0n;
}
