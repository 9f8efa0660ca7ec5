import type { SeededRandom } from "../random/seeded-random.js";
import { logReturns, pearson, standardDeviation } from "./similarity.js";

/** The model families of GenerateSimulation (docs/architecture.md#market-simulation). */
export const SIMULATION_MODELS = Object.freeze([
  "STATISTICAL_SIMILARITY",
  "MONTE_CARLO",
  "BROWNIAN_MOTION",
  "MEAN_REVERSION",
  "TREND_FOLLOWING",
] as const);

export type SimulationModel = (typeof SIMULATION_MODELS)[number];

/** The documented bounds of {@link SimulationParameters} (the proto comments say the same). */
export const SIMULATION_PARAMETER_LIMITS = Object.freeze({
  /** `volatility_factor` ∈ (0, this]. */
  maxVolatilityFactor: 10,
  /** `trend_factor` ∈ [−this, this]. */
  maxTrendFactor: 10,
  /** `noise_level` ∈ [0, this]. */
  maxNoiseLevel: 0.1,
});

/** The strongest momentum coefficient TREND_FOLLOWING uses: below 1 keeps returns stationary. */
export const MAX_MOMENTUM = 0.95;

/** Knobs of a simulation. */
export interface SimulationParameters {
  /** Scales the calibrated volatility, in (0, 10]; 1 keeps it. */
  readonly volatilityFactor: number;
  /**
   * Scales the calibrated drift, and TREND_FOLLOWING's momentum coefficient, in [−10, 10]; 1
   * keeps them, a negative value reverses them.
   */
  readonly trendFactor: number;
  /**
   * Observation noise, in [0, 0.1]: every simulated price after the first is the model's price
   * times exp(noiseLevel · Z), Z standard normal and independent per price, so noiseLevel is
   * the noise's standard deviation as a fraction of the price (for small values) and it is not
   * carried into later prices. 0 adds none.
   */
  readonly noiseLevel: number;
}

/** Checks the parameters against {@link SIMULATION_PARAMETER_LIMITS}; throws a `RangeError` naming the field. */
export function validateSimulationParameters(
  parameters: SimulationParameters,
): SimulationParameters {
  const { volatilityFactor, trendFactor, noiseLevel } = parameters;
  const { maxVolatilityFactor, maxTrendFactor, maxNoiseLevel } = SIMULATION_PARAMETER_LIMITS;
  if (!(volatilityFactor > 0 && volatilityFactor <= maxVolatilityFactor)) {
    throw new RangeError(
      `volatility_factor must be in (0, ${maxVolatilityFactor}] (got ${volatilityFactor})`,
    );
  }
  if (!(Math.abs(trendFactor) <= maxTrendFactor)) {
    throw new RangeError(
      `trend_factor must be in [-${maxTrendFactor}, ${maxTrendFactor}] (got ${trendFactor})`,
    );
  }
  if (!(noiseLevel >= 0 && noiseLevel <= maxNoiseLevel)) {
    throw new RangeError(`noise_level must be in [0, ${maxNoiseLevel}] (got ${noiseLevel})`);
  }
  return parameters;
}

/**
 * A simulated price series over the same points as `historical` (at least three prices, all
 * > 0), starting at its first price and calibrated on its log returns (mean μ, sample sd σ):
 * - STATISTICAL_SIMILARITY: a block bootstrap of the historical log returns (blocks of 5
 *   consecutive returns, drawn with replacement, keep short-range dependence); deviations from
 *   μ are scaled by the volatility factor, μ by the trend factor;
 * - MONTE_CARLO: geometric Brownian motion, normal log returns of mean μ·trend and sd
 *   σ·volatility;
 * - BROWNIAN_MOTION: arithmetic Brownian motion on price differences (mean and sd of the
 *   historical differences, scaled the same way), floored at a millionth of the start price;
 * - MEAN_REVERSION: an Ornstein–Uhlenbeck process on log prices toward the historical mean log
 *   price, its speed the AR(1) regression slope of the history's log-price changes on its log
 *   prices, clamped to close between 2 % (so it reverts even on a trending history) and 100 %
 *   of the gap per point;
 * - TREND_FOLLOWING: log returns as an AR(1) around μ·trend, r − μ' = φ·(r₋₁ − μ') + ε, with
 *   φ = ρ₁ · trend factor clamped to [−{@link MAX_MOMENTUM}, {@link MAX_MOMENTUM}], where ρ₁ is
 *   the lag-1 autocorrelation of the historical log returns (the Pearson correlation of
 *   consecutive returns), and ε of sd σ·volatility·√(1 − φ²) so the returns keep sd
 *   σ·volatility; the first return is drawn from that stationary distribution.
 * The path is drawn first; with `noiseLevel` > 0, observation noise then multiplies every price
 * after the first (see {@link SimulationParameters.noiseLevel}), from the same random stream,
 * so the path underneath does not depend on the noise level.
 */
export function simulate(
  model: SimulationModel,
  historical: readonly number[],
  parameters: SimulationParameters,
  random: SeededRandom,
): number[] {
  if (historical.length < 3 || historical.some((price) => !(price > 0))) {
    throw new RangeError("a simulation needs at least three positive historical prices");
  }
  const returns = logReturns(historical);
  const meanReturn = returns.reduce((sum, r) => sum + r, 0) / returns.length;
  const sigma = standardDeviation(returns) * parameters.volatilityFactor;
  const drift = meanReturn * parameters.trendFactor;
  const start = historical[0] as number;
  const steps = historical.length - 1;
  const prices = [start];
  let price = start;
  const push = (logReturn: number) => {
    price *= Math.exp(logReturn);
    prices.push(price);
  };
  switch (model) {
    case "STATISTICAL_SIMILARITY": {
      const block = 5;
      while (prices.length <= steps) {
        const from = Math.floor(random.uniform() * returns.length);
        for (let k = 0; k < block && prices.length <= steps; k++) {
          const r = returns[(from + k) % returns.length] as number;
          push(drift + (r - meanReturn) * parameters.volatilityFactor);
        }
      }
      break;
    }
    case "MONTE_CARLO":
      for (let i = 0; i < steps; i++) push(drift + sigma * random.normal());
      break;
    case "BROWNIAN_MOTION": {
      const diffs = historical.slice(1).map((p, i) => p - (historical[i] as number));
      const diffSigma = standardDeviation(diffs) * parameters.volatilityFactor;
      const diffDrift =
        (diffs.reduce((sum, d) => sum + d, 0) / diffs.length) * parameters.trendFactor;
      const floor = start * 1e-6;
      for (let i = 0; i < steps; i++) {
        price = Math.max(floor, price + diffDrift + diffSigma * random.normal());
        prices.push(price);
      }
      break;
    }
    case "MEAN_REVERSION": {
      // x_{t+1} − x_t = a + b·x_t + ε: b = −(1 − φ), mean −a/b.
      const logs = historical.map(Math.log);
      const x = logs.slice(0, -1);
      const dx = logs.slice(1).map((value, i) => value - (logs[i] as number));
      const meanX = x.reduce((s, v) => s + v, 0) / x.length;
      const meanDx = dx.reduce((s, v) => s + v, 0) / dx.length;
      let cov = 0;
      let varX = 0;
      for (let i = 0; i < x.length; i++) {
        cov += ((x[i] as number) - meanX) * ((dx[i] as number) - meanDx);
        varX += ((x[i] as number) - meanX) ** 2;
      }
      const b = Math.max(-1, Math.min(-0.02, varX === 0 ? -0.02 : cov / varX));
      let logPrice = Math.log(start);
      for (let i = 0; i < steps; i++) {
        logPrice += b * (logPrice - meanX) + sigma * random.normal();
        prices.push(Math.exp(logPrice));
      }
      break;
    }
    case "TREND_FOLLOWING": {
      const phi = momentumCoefficient(returns, parameters.trendFactor);
      const innovation = sigma * Math.sqrt(1 - phi * phi);
      let previous = drift + sigma * random.normal();
      push(previous);
      for (let i = 1; i < steps; i++) {
        previous = drift + phi * (previous - drift) + innovation * random.normal();
        push(previous);
      }
      break;
    }
  }
  if (parameters.noiseLevel > 0) {
    for (let i = 1; i < prices.length; i++) {
      prices[i] = (prices[i] as number) * Math.exp(parameters.noiseLevel * random.normal());
    }
  }
  return prices;
}

/**
 * TREND_FOLLOWING's φ: the lag-1 autocorrelation of `returns` (Pearson correlation of
 * consecutive returns) times `trendFactor`, clamped to [−{@link MAX_MOMENTUM}, {@link MAX_MOMENTUM}].
 */
export function momentumCoefficient(returns: readonly number[], trendFactor: number): number {
  const rho = pearson(returns.slice(0, -1), returns.slice(1));
  return Math.max(-MAX_MOMENTUM, Math.min(MAX_MOMENTUM, rho * trendFactor));
}
