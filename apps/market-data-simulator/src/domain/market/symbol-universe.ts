import { type PriceBounds, type SymbolDynamics, validateDynamics } from "../price/price-process.js";
import type { Microstructure } from "./microstructure.js";
import { PRICE_RANGE_IN_TICKS, priceBoundsOf, TICK_SIZE_LIMITS } from "./price-bounds.js";

/** Everything the simulator needs to know about one symbol. */
export interface SymbolConfig extends SymbolDynamics, Microstructure {
  readonly base: string;
  readonly quote: string;
  /** {@link priceBoundsOf} the tick size: the mid price never leaves them. */
  readonly priceBounds: PriceBounds;
}

/** A partial {@link SymbolConfig} from `SIMULATOR_CONFIG`: unset fields keep their defaults. */
export type SymbolOverrides = Partial<
  Omit<SymbolConfig, "symbol" | "base" | "quote" | "priceBounds">
>;

type Defaults = Omit<SymbolConfig, "symbol" | "base" | "quote" | "priceBounds">;

const CALM_TURBULENT = {
  turbulentVolatilityMultiplier: 2.5,
  calmToTurbulentPerYear: 6,
  turbulentToCalmPerYear: 52,
};
const CRYPTO_JUMPS = { intensityPerYear: 12, meanLogSize: -0.01, logSizeVolatility: 0.04 };

/**
 * Built-in parameters for common crypto pairs (USD quote): late-2020s price levels, annualised
 * volatilities of the order these assets show, tick sizes and spreads of a liquid venue, daily
 * volumes in base units.
 */
export const BUILT_IN_SYMBOLS: Readonly<Record<string, Defaults>> = Object.freeze({
  BTC: {
    initialPrice: 65_000,
    annualVolatility: 0.55,
    annualDrift: 0.1,
    tickSize: 0.01,
    spreadBps: 1,
    baseVolumePerDay: 25_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  ETH: {
    initialPrice: 3_200,
    annualVolatility: 0.7,
    annualDrift: 0.1,
    tickSize: 0.01,
    spreadBps: 1.5,
    baseVolumePerDay: 300_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  SOL: {
    initialPrice: 150,
    annualVolatility: 0.9,
    annualDrift: 0.1,
    tickSize: 0.01,
    spreadBps: 3,
    baseVolumePerDay: 3_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  BNB: {
    initialPrice: 580,
    annualVolatility: 0.6,
    annualDrift: 0.05,
    tickSize: 0.01,
    spreadBps: 3,
    baseVolumePerDay: 500_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  XRP: {
    initialPrice: 0.6,
    annualVolatility: 0.85,
    annualDrift: 0,
    tickSize: 0.0001,
    spreadBps: 4,
    baseVolumePerDay: 800_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  ADA: {
    initialPrice: 0.45,
    annualVolatility: 0.85,
    annualDrift: 0,
    tickSize: 0.0001,
    spreadBps: 5,
    baseVolumePerDay: 400_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  DOGE: {
    initialPrice: 0.12,
    annualVolatility: 1,
    annualDrift: 0,
    tickSize: 0.00001,
    spreadBps: 5,
    baseVolumePerDay: 2_000_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  AVAX: {
    initialPrice: 30,
    annualVolatility: 0.95,
    annualDrift: 0,
    tickSize: 0.01,
    spreadBps: 5,
    baseVolumePerDay: 8_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  LINK: {
    initialPrice: 15,
    annualVolatility: 0.9,
    annualDrift: 0,
    tickSize: 0.001,
    spreadBps: 5,
    baseVolumePerDay: 15_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
  DOT: {
    initialPrice: 6,
    annualVolatility: 0.9,
    annualDrift: 0,
    tickSize: 0.001,
    spreadBps: 5,
    baseVolumePerDay: 20_000_000,
    jumps: CRYPTO_JUMPS,
    regime: CALM_TURBULENT,
  },
});

/** Parameters of a symbol with no built-in entry. */
export const GENERIC_SYMBOL: Defaults = Object.freeze({
  initialPrice: 100,
  annualVolatility: 0.8,
  annualDrift: 0,
  tickSize: 0.01,
  spreadBps: 5,
  baseVolumePerDay: 1_000_000,
  jumps: CRYPTO_JUMPS,
  regime: CALM_TURBULENT,
});

/** The default symbols (`SYMBOLS`). */
export const DEFAULT_SYMBOLS = Object.freeze(["BTC-USD", "ETH-USD", "SOL-USD"]);

/** The resolved set of symbols and how they co-move. */
export interface SymbolUniverse {
  readonly symbols: readonly SymbolConfig[];
  /** Correlation of log-return shocks, in the order of `symbols`. */
  readonly correlation: readonly (readonly number[])[];
}

/**
 * The universe of `symbols` (in order; the order is part of the reproducibility contract, so
 * append new symbols at the end): each symbol's built-in parameters for its base asset (or the
 * generic ones) with `overrides[symbol]` on top, and `correlation` when given (checked by the
 * price process) or crypto-like defaults — 0.75 with BTC, 0.6 between other pairs.
 *
 * Each symbol's `priceBounds` follow from its tick size ({@link priceBoundsOf}).
 *
 * Throws a `RangeError` for a malformed or repeated symbol, overrides of an unknown symbol, a
 * tick size outside {@link TICK_SIZE_LIMITS}, an initial price outside the price bounds, or
 * dynamics the price process cannot take (`validateDynamics`).
 */
export function buildUniverse(
  symbols: readonly string[],
  overrides: Readonly<Record<string, SymbolOverrides>> = {},
  correlation?: readonly (readonly number[])[],
): SymbolUniverse {
  const seen = new Set<string>();
  const configs = symbols.map((symbol) => {
    const match = /^([A-Z0-9]{2,10})-([A-Z0-9]{2,10})$/.exec(symbol);
    if (match === null)
      throw new RangeError(`symbol ${JSON.stringify(symbol)} must look like BTC-USD`);
    if (seen.has(symbol)) throw new RangeError(`symbol ${symbol} is listed twice`);
    seen.add(symbol);
    const base = match[1] as string;
    const quote = match[2] as string;
    const parameters = { ...(BUILT_IN_SYMBOLS[base] ?? GENERIC_SYMBOL), ...overrides[symbol] };
    const { tickSize, initialPrice } = parameters;
    if (!(tickSize >= TICK_SIZE_LIMITS.min && tickSize <= TICK_SIZE_LIMITS.max)) {
      throw new RangeError(
        `${symbol}: tickSize must be in [${TICK_SIZE_LIMITS.min}, ${TICK_SIZE_LIMITS.max}] (got ${tickSize})`,
      );
    }
    const priceBounds = priceBoundsOf(tickSize);
    if (!(initialPrice >= priceBounds.min && initialPrice <= priceBounds.max)) {
      throw new RangeError(
        `${symbol}: initialPrice must be between ${PRICE_RANGE_IN_TICKS.floor} and ${PRICE_RANGE_IN_TICKS.ceiling} ticks of ${tickSize}, [${priceBounds.min}, ${priceBounds.max}] (got ${initialPrice})`,
      );
    }
    const config = { ...parameters, symbol, base, quote, priceBounds };
    validateDynamics(config);
    return config;
  });
  for (const symbol of Object.keys(overrides)) {
    if (!seen.has(symbol))
      throw new RangeError(`configuration for ${symbol}, which is not in SYMBOLS`);
  }
  return {
    symbols: configs,
    correlation:
      correlation ??
      configs.map((a, i) =>
        configs.map((b, j) => (i === j ? 1 : a.base === "BTC" || b.base === "BTC" ? 0.75 : 0.6)),
      ),
  };
}
