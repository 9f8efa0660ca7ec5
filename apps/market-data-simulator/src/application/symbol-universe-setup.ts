import {
  buildUniverse,
  type SymbolOverrides,
  type SymbolUniverse,
} from "../domain/market/symbol-universe.js";
import { choleskyFactor } from "../domain/price/cholesky.js";

/** The ranges a symbol's tick size and dynamics may take: what the price model can handle. */
export { TICK_SIZE_LIMITS } from "../domain/market/price-bounds.js";
export { DYNAMICS_LIMITS } from "../domain/price/price-process.js";

/**
 * The simulated universe of `symbols` with their `overrides` and, when given, the `correlation`
 * of their returns (one row per symbol, in their order). Throws a `RangeError` naming the first
 * problem: a malformed or repeated symbol, an override the model refuses, or a correlation
 * matrix that is not a valid correlation of those symbols.
 */
export function setUpUniverse(
  symbols: readonly string[],
  overrides: Readonly<Record<string, SymbolOverrides>> = {},
  correlation?: readonly (readonly number[])[],
): SymbolUniverse {
  const universe = buildUniverse(symbols, overrides, correlation);
  if (correlation !== undefined) {
    if (correlation.length !== symbols.length) {
      throw new RangeError(
        `correlation has ${correlation.length} rows for the ${symbols.length} symbols of SYMBOLS`,
      );
    }
    choleskyFactor(correlation);
  }
  return universe;
}
