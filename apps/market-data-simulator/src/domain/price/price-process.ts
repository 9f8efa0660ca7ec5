import { SeededRandom, streamSeed } from "../random/seeded-random.js";
import { choleskyFactor } from "./cholesky.js";

/** Seconds in the simulated year: the market trades 24/7, 365 days. */
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

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
  readonly jumpCompensator: number;
  logPrice: number;
  regime: VolatilityRegime;
}

/**
 * The joint mid-price process of a set of symbols (DESIGN §5): per symbol, geometric Brownian
 * motion with the Itô correction, optional Merton jumps (compensated, so they leave the expected
 * return alone), optional mean reversion, and a calm/turbulent volatility regime; shocks
 * correlated across symbols through the Cholesky factor of `correlation`.
 *
 * Contract:
 * - Pure and reproducible: the same symbols, correlation and seed give the same path for the
 *   same sequence of `step` calls. Each symbol draws from its own stream (`streamSeed(seed,
 *   symbol)`), in a fixed order per step, so appending a symbol (with a row of correlations)
 *   leaves every other symbol's path unchanged.
 * - Prices are kept at full precision (log space) and are always > 0; rounding to a tick size
 *   is the caller's job, on output only, so a price never sticks to one value.
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
      checkDynamics(dynamics);
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
      return {
        dynamics,
        random: new SeededRandom(streamSeed(options.seed, dynamics.symbol)),
        logAnchor: Math.log(dynamics.meanReversion?.anchorPrice ?? dynamics.initialPrice),
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
      let logReturn =
        (mu - (sigma * sigma) / 2 - state.jumpCompensator) * dt + sigma * sqrtDt * shock;
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
      state.logPrice += logReturn;
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

function checkDynamics(dynamics: SymbolDynamics): void {
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
  positive("initialPrice", dynamics.initialPrice);
  nonNegative("annualVolatility", dynamics.annualVolatility);
  if (!Number.isFinite(dynamics.annualDrift)) {
    throw new RangeError(`${symbol}: annualDrift must be finite (got ${dynamics.annualDrift})`);
  }
  if (dynamics.jumps !== undefined) {
    nonNegative("jumps.intensityPerYear", dynamics.jumps.intensityPerYear);
    nonNegative("jumps.logSizeVolatility", dynamics.jumps.logSizeVolatility);
    if (!Number.isFinite(dynamics.jumps.meanLogSize)) {
      throw new RangeError(`${symbol}: jumps.meanLogSize must be finite`);
    }
  }
  if (dynamics.meanReversion !== undefined) {
    nonNegative("meanReversion.speedPerYear", dynamics.meanReversion.speedPerYear);
    if (dynamics.meanReversion.anchorPrice !== undefined) {
      positive("meanReversion.anchorPrice", dynamics.meanReversion.anchorPrice);
    }
  }
  if (dynamics.regime !== undefined) {
    if (!(dynamics.regime.turbulentVolatilityMultiplier >= 1)) {
      throw new RangeError(`${symbol}: regime.turbulentVolatilityMultiplier must be ≥ 1`);
    }
    nonNegative("regime.calmToTurbulentPerYear", dynamics.regime.calmToTurbulentPerYear);
    nonNegative("regime.turbulentToCalmPerYear", dynamics.regime.turbulentToCalmPerYear);
  }
}
