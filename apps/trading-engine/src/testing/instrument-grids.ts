import fc from "fast-check";
import type { InstrumentCatalog } from "../application/instrument-catalog.js";
import type { InstrumentRules, InstrumentRulesSource } from "../domain/orders/instrument-rules.js";

/** BTC-USD's order grid as the simulator's ListSymbols gives it. */
const BTC_RULES: InstrumentRules = {
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
const SOL_RULES: InstrumentRules = {
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

/** What {@link arbitraryRules} draws from. */
export interface RulesSpace {
  readonly ticks: readonly number[];
  readonly lots: readonly number[];
  /** The minimum order, in whole lots. */
  readonly minLots: { readonly min: number; readonly max: number };
  /** The maximum order when there is one, in whole lots (half the draws have none: 0). */
  readonly maxLots: { readonly min: number; readonly max: number };
}

/** Instrument rules drawn from `space`, their bounds whole lots on the 8-decimal scale. */
export function arbitraryRules(space: RulesSpace): fc.Arbitrary<InstrumentRules> {
  return fc
    .record({
      tickSize: fc.constantFrom(...space.ticks),
      lotSize: fc.constantFrom(...space.lots),
      minLots: fc.integer(space.minLots),
      maxLots: fc.oneof(fc.constant(0), fc.integer(space.maxLots)),
    })
    .map(
      (r): InstrumentRules => ({
        tickSize: r.tickSize,
        lotSize: r.lotSize,
        minQuantity: Math.round(r.minLots * r.lotSize * 1e8) / 1e8,
        maxQuantity: Math.round(r.maxLots * r.lotSize * 1e8) / 1e8,
      }),
    );
}
