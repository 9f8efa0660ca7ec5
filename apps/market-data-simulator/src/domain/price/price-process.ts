import { SeededRandom, streamSeed } from "../random/seeded-random.js";
import { choleskyFactor } from "./cholesky.js";

/** Seconds in the simulated year: the market trades 24/7, 365 days. */
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

/**
 * What the price process can take; `SIMULATOR_CONFIG` is validated against these same numbers.
 *
 * - `maxAnnualVolatility` bounds σ times the turbulent multiplier (the worst volatility the
 *   configuration alone gives). The Itô drag −σ²/2 pulls the median log price down by
 *   σ²·t/2: at σ = 5 that is 1.03 over the longest backfill (30 days), a market that still
 *   wanders; at σ = 20 (the old bound) it is 16, a slide of seven orders of magnitude that pins
 *   every symbol to its price floor within days, and at σ = 400 (20 × a turbulent multiplier
 *   of 20) it does so within minutes.
 * - `maxAbsAnnualDrift`: |μ| ≤ 20 moves the expected price at most e^1.6 over 30 days.
 * - `maxRatePerYear`: jumps and regime switches are drawn at most once per step; at this rate
 *   and the longest step (5 s) an event has a 1.6 % chance per step, so two in one step (one
 *   lost) stay negligible.
 * - jump sizes: a jump moves the log price by a normal of mean at most ±1 and sd at most 1.
 */
export const DYNAMICS_LIMITS = Object.freeze({
  maxAnnualVolatility: 5,
  maxAbsAnnualDrift: 20,
  maxTurbulentVolatilityMultiplier: 20,
  maxRatePerYear: 100_000,
  maxAbsJumpMeanLogSize: 1,
  maxJumpLogSizeVolatility: 1,
});

/**
 * The range a price path stays in, so the price never reaches zero or overflows (see
 * {@link PriceProcess} for what happens at an end).
 */
export interface PriceBounds {
  /** > 0. */
  readonly min: number;
  /** > `min`. */
  readonly max: number;
}

/** Bounds of a symbol without its own: wide enough never to matter, narrow enough to stay finite. */
const DEFAULT_PRICE_BOUNDS: PriceBounds = Object.freeze({ min: 1e-100, max: 1e100 });

/** Merton jumps: a Poisson number of jumps per year, each a normal move of the log price. */
export interface JumpDynamics {
  /** Expected jumps per year (≥ 0). */
  readonly intensityPerYear: number;
  /** Mean of a jump's log size (e.g. -0.02: jumps are down 2 % on average). */
  readonly meanLogSize: number;
  /** Standard deviation of a jump's log size (≥ 0). */
  readonly logSizeVolatility: number;
}

/** Ornstein–Uhlenbeck pull of the log price toward the log of an anchor price. */
export interface MeanReversionDynamics {
  /** κ per year (≥ 0): the gap to the anchor halves in ln 2 / κ years. */
  readonly speedPerYear: number;
  /** The price pulled toward; the initial price when absent. */
  readonly anchorPrice?: number;
}

/** Two volatility states, calm and turbulent, switching as a continuous-time Markov chain. */
export interface RegimeDynamics {
  /** Volatility multiplier while turbulent (≥ 1). */
  readonly turbulentVolatilityMultiplier: number;
  /** Switches calm → turbulent per year. */
  readonly calmToTurbulentPerYear: number;
  /** Switches turbulent → calm per year. */
  readonly turbulentToCalmPerYear: number;
}

/** How one symbol's mid price moves. Rates are annual, for a 24/7 market. */
export interface SymbolDynamics {
  readonly symbol: string;
  /** > 0. */
  readonly initialPrice: number;
  /** σ, annualised volatility of log returns (≥ 0). */
  readonly annualVolatility: number;
  /** μ, the expected (arithmetic) annual return: E[S_t] = S_0·e^{μt} without reversion or scenarios. */
  readonly annualDrift: number;
  readonly jumps?: JumpDynamics;
  readonly meanReversion?: MeanReversionDynamics;
  readonly regime?: RegimeDynamics;
  /** The range the price stays in; `initialPrice` must lie within. Default: [1e-100, 1e100]. */
  readonly priceBounds?: PriceBounds;
}

/** A temporary change of one symbol's dynamics (what a scenario applies). */
export interface DynamicsOverlay {
  /** Added to μ (annual). */
  readonly driftShift?: number;
  /** Multiplies σ (≥ 0). */
  readonly volatilityMultiplier?: number;
  /** The mean-reversion speed κ per year while overlaid, instead of the symbol's. */
  readonly reversionSpeedPerYear?: number;
  /** The reversion anchor price while overlaid, instead of the symbol's. */
  readonly reversionAnchor?: number;
}

/** The volatility state of a symbol. */
export type VolatilityRegime = "calm" | "turbulent";

interface SymbolState {
  readonly dynamics: SymbolDynamics;
  readonly random: SeededRandom;
  readonly logAnchor: number;
  readonly logMin: number;
  readonly logMax: number;
  readonly jumpCompensator: number;
  logPrice: number;
  regime: VolatilityRegime;
}

/**
 * The joint mid-price process of a set of symbols (docs/architecture.md#market-simulation): per
 * symbol, geometric Brownian motion with the Itô correction, optional Merton jumps (compensated, so
 * they leave the expected return alone), optional mean reversion, and a calm/turbulent volatility
 * regime; shocks correlated across symbols through the Cholesky factor of `correlation`.
 *
 * Contract:
 * - Pure and reproducible: the same symbols, correlation and seed give the same path for the
 *   same sequence of `step` calls. Each symbol draws from its own stream (`streamSeed(seed,
 *   symbol)`), in a fixed order per step, so appending a symbol (with a row of correlations)
 *   leaves every other symbol's path unchanged.
 * - Prices are kept at full precision (log space), always within the symbol's `priceBounds`
 *   (so always > 0 and finite): a step that would leave them stops its drift at the bound and
 *   reflects its random part off it, so a path pushed onto a bound keeps moving just inside it
 *   (while it has volatility) instead of sticking or bouncing far back. Paths that stay inside
 *   are exactly those without bounds. Rounding to a tick size is the caller's job, on output
 *   only, so a price never sticks to one value.
 */
export class PriceProcess {
  readonly #states: SymbolState[];
  readonly #cholesky: number[][];
  readonly #shocks: Float64Array;

  constructor(
    symbols: readonly SymbolDynamics[],
    options: { readonly seed: number; readonly correlation?: readonly (readonly number[])[] },
  ) {
    const names = new Set<string>();
    for (const dynamics of symbols) {
      validateDynamics(dynamics);
      if (names.has(dynamics.symbol))
        throw new RangeError(`symbol ${dynamics.symbol} is given twice`);
      names.add(dynamics.symbol);
    }
    const correlation =
      options.correlation ?? symbols.map((_, i) => symbols.map((__, j) => (i === j ? 1 : 0)));
    if (correlation.length !== symbols.length) {
      throw new RangeError(
        `the correlation matrix has ${correlation.length} rows for ${symbols.length} symbols`,
      );
    }
    this.#cholesky = choleskyFactor(correlation);
    this.#shocks = new Float64Array(symbols.length);
    this.#states = symbols.map((dynamics) => {
      const jumps = dynamics.jumps;
      const bounds = dynamics.priceBounds ?? DEFAULT_PRICE_BOUNDS;
      return {
        dynamics,
        random: new SeededRandom(streamSeed(options.seed, dynamics.symbol)),
        logAnchor: Math.log(dynamics.meanReversion?.anchorPrice ?? dynamics.initialPrice),
        logMin: Math.log(bounds.min),
        logMax: Math.log(bounds.max),
        jumpCompensator:
          jumps === undefined
            ? 0
            : jumps.intensityPerYear *
              (Math.exp(jumps.meanLogSize + jumps.logSizeVolatility ** 2 / 2) - 1),
        logPrice: Math.log(dynamics.initialPrice),
        regime: "calm",
      };
    });
  }

  /** The symbols, in the order of {@link prices}. */
  get symbols(): readonly string[] {
    return this.#states.map((state) => state.dynamics.symbol);
  }

  /** The current mid prices at full precision, in the order of {@link symbols}. */
  prices(): number[] {
    return this.#states.map((state) => Math.exp(state.logPrice));
  }

  /** The current volatility regime of each symbol. */
  regimes(): VolatilityRegime[] {
    return this.#states.map((state) => state.regime);
  }

  /**
   * Advances every symbol by `dtSeconds` of simulated time (> 0) and returns the new mids.
   * `overlay(i)` may change symbol i's dynamics for this step (a running scenario).
   */
  step(dtSeconds: number, overlay?: (index: number) => DynamicsOverlay | undefined): number[] {
    if (!(dtSeconds > 0) || !Number.isFinite(dtSeconds)) {
      throw new RangeError(`a step must be a positive number of seconds (got ${dtSeconds})`);
    }
    const dt = dtSeconds / SECONDS_PER_YEAR;
    const sqrtDt = Math.sqrt(dt);
    const states = this.#states;
    const shocks = this.#shocks;
    for (let i = 0; i < states.length; i++) shocks[i] = (states[i] as SymbolState).random.normal();
    for (let i = 0; i < states.length; i++) {
      const state = states[i] as SymbolState;
      const row = this.#cholesky[i] as number[];
      let shock = 0;
      for (let j = 0; j <= i; j++) shock += (row[j] as number) * (shocks[j] as number);
      const { dynamics, random } = state;
      const extra = overlay?.(i);
      this.#switchRegime(state, dt);
      const regimeMultiplier =
        state.regime === "turbulent" ? (dynamics.regime?.turbulentVolatilityMultiplier ?? 1) : 1;
      const sigma =
        dynamics.annualVolatility * regimeMultiplier * (extra?.volatilityMultiplier ?? 1);
      const mu = dynamics.annualDrift + (extra?.driftShift ?? 0);
      const diffusion = sigma * sqrtDt * shock;
      let logReturn = (mu - (sigma * sigma) / 2 - state.jumpCompensator) * dt + diffusion;
      const reversion = extra?.reversionSpeedPerYear ?? dynamics.meanReversion?.speedPerYear ?? 0;
      if (reversion > 0) {
        const anchor =
          extra?.reversionAnchor === undefined ? state.logAnchor : Math.log(extra.reversionAnchor);
        // Exact OU decay of the gap over dt, stable for any κ·dt.
        logReturn += (anchor - state.logPrice) * (1 - Math.exp(-reversion * dt));
      }
      const jumps = dynamics.jumps;
      const jumpDraw = random.uniform();
      if (jumps !== undefined && jumpDraw < 1 - Math.exp(-jumps.intensityPerYear * dt)) {
        logReturn += jumps.meanLogSize + jumps.logSizeVolatility * random.normal();
      }
      const next = state.logPrice + logReturn;
      state.logPrice =
        next >= state.logMin && next <= state.logMax
          ? next
          : atBound(next - diffusion, diffusion, state.logMin, state.logMax);
    }
    return this.prices();
  }

  #switchRegime(state: SymbolState, dt: number): void {
    const draw = state.random.uniform();
    const regime = state.dynamics.regime;
    if (regime === undefined) return;
    const rate =
      state.regime === "calm" ? regime.calmToTurbulentPerYear : regime.turbulentToCalmPerYear;
    if (draw < 1 - Math.exp(-rate * dt)) {
      state.regime = state.regime === "calm" ? "turbulent" : "calm";
    }
  }
}

/**
 * The log price after a step that would leave `[low, high]`: the step's deterministic part
 * (drift, reversion, jump) stops at the bound — a crash pushing on the floor leaves the price
 * there rather than bouncing it far up — and the random part `diffusion` is reflected off the
 * bound, so the price keeps moving just inside it. The reflection folds as often as it takes,
 * so any finite step lands inside.
 */
function atBound(deterministic: number, diffusion: number, low: number, high: number): number {
  const x = Math.min(high, Math.max(low, deterministic)) + diffusion;
  if (x >= low && x <= high) return x;
  const span = high - low;
  const folded = (((x - low) % (2 * span)) + 2 * span) % (2 * span);
  return low + (folded <= span ? folded : 2 * span - folded);
}

/**
 * Checks one symbol's dynamics against {@link DYNAMICS_LIMITS} and its price bounds; throws a
 * `RangeError` naming the symbol, the field and the rule.
 */
export function validateDynamics(dynamics: SymbolDynamics): void {
  const { symbol } = dynamics;
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`${symbol}: ${name} must be a finite number > 0 (got ${value})`);
    }
  };
  const nonNegative = (name: string, value: number) => {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`${symbol}: ${name} must be a finite number ≥ 0 (got ${value})`);
    }
  };
  const atMost = (name: string, value: number, limit: number) => {
    if (!(Math.abs(value) <= limit)) {
      throw new RangeError(`${symbol}: ${name} must be within ±${limit} (got ${value})`);
    }
  };
  positive("initialPrice", dynamics.initialPrice);
  nonNegative("annualVolatility", dynamics.annualVolatility);
  if (!Number.isFinite(dynamics.annualDrift)) {
    throw new RangeError(`${symbol}: annualDrift must be finite (got ${dynamics.annualDrift})`);
  }
  atMost("annualDrift", dynamics.annualDrift, DYNAMICS_LIMITS.maxAbsAnnualDrift);
  const rate = (name: string, value: number) => {
    nonNegative(name, value);
    atMost(name, value, DYNAMICS_LIMITS.maxRatePerYear);
  };
  if (dynamics.jumps !== undefined) {
    rate("jumps.intensityPerYear", dynamics.jumps.intensityPerYear);
    nonNegative("jumps.logSizeVolatility", dynamics.jumps.logSizeVolatility);
    atMost(
      "jumps.logSizeVolatility",
      dynamics.jumps.logSizeVolatility,
      DYNAMICS_LIMITS.maxJumpLogSizeVolatility,
    );
    if (!Number.isFinite(dynamics.jumps.meanLogSize)) {
      throw new RangeError(`${symbol}: jumps.meanLogSize must be finite`);
    }
    atMost("jumps.meanLogSize", dynamics.jumps.meanLogSize, DYNAMICS_LIMITS.maxAbsJumpMeanLogSize);
  }
  if (dynamics.meanReversion !== undefined) {
    rate("meanReversion.speedPerYear", dynamics.meanReversion.speedPerYear);
    if (dynamics.meanReversion.anchorPrice !== undefined) {
      positive("meanReversion.anchorPrice", dynamics.meanReversion.anchorPrice);
    }
  }
  if (dynamics.regime !== undefined) {
    const multiplier = dynamics.regime.turbulentVolatilityMultiplier;
    if (!(multiplier >= 1 && multiplier <= DYNAMICS_LIMITS.maxTurbulentVolatilityMultiplier)) {
      throw new RangeError(
        `${symbol}: regime.turbulentVolatilityMultiplier must be in [1, ${DYNAMICS_LIMITS.maxTurbulentVolatilityMultiplier}] (got ${multiplier})`,
      );
    }
    rate("regime.calmToTurbulentPerYear", dynamics.regime.calmToTurbulentPerYear);
    rate("regime.turbulentToCalmPerYear", dynamics.regime.turbulentToCalmPerYear);
  }
  const worst = dynamics.annualVolatility * (dynamics.regime?.turbulentVolatilityMultiplier ?? 1);
  if (!(worst <= DYNAMICS_LIMITS.maxAnnualVolatility)) {
    throw new RangeError(
      `${symbol}: annualVolatility × regime.turbulentVolatilityMultiplier must be at most ${DYNAMICS_LIMITS.maxAnnualVolatility} (got ${worst})`,
    );
  }
  const bounds = dynamics.priceBounds;
  if (bounds !== undefined) {
    positive("priceBounds.min", bounds.min);
    if (!(bounds.max > bounds.min) || !Number.isFinite(bounds.max)) {
      throw new RangeError(`${symbol}: priceBounds.max must be finite and > priceBounds.min`);
    }
    if (!(dynamics.initialPrice >= bounds.min && dynamics.initialPrice <= bounds.max)) {
      throw new RangeError(
        `${symbol}: initialPrice must be within [${bounds.min}, ${bounds.max}] (got ${dynamics.initialPrice})`,
      );
    }
  }
}
