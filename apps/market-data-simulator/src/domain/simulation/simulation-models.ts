import type { SeededRandom } from "../random/seeded-random.js";
import { logReturns, pearson, standardDeviation } from "./similarity.js";

/** The model families of GenerateSimulation (DESIGN §5). */
export const SIMULATION_MODELS = Object.freeze([
  "STATISTICAL_SIMILARITY",
  "MONTE_CARLO",
  "BROWNIAN_MOTION",
  "MEAN_REVERSION",
  "TREND_FOLLOWING",
] as const);

export type SimulationModel = (typeof SIMULATION_MODELS)[number];

/** Knobs of a simulation. */
export interface SimulationParameters {
  /** Scales the calibrated volatility (> 0; 1 keeps it). */
  readonly volatilityFactor: number;
  /** Scales the calibrated drift / momentum (any finite number; 1 keeps it). */
  readonly trendFactor: number;
  /** Points to generate (≥ 3, ≤ {@link MAX_SIMULATION_POINTS}). */
  readonly dataPoints: number;
  readonly includeNoise: boolean;
  /** Relative size of the extra noise, in [0, 1]. */
  readonly noiseLevel: number;
}

/** The most points one simulation may produce (`MAX_SIMULATION_POINTS` caps it further). */
export const MAX_SIMULATION_POINTS = 100_000;

/** Checks the parameters; throws a `RangeError` naming the field. */
export function validateSimulationParameters(
  parameters: SimulationParameters,
  maxPoints = MAX_SIMULATION_POINTS,
): SimulationParameters {
  const { volatilityFactor, trendFactor, dataPoints, noiseLevel } = parameters;
  if (!(volatilityFactor > 0 && volatilityFactor <= 100)) {
    throw new RangeError(`volatility_factor must be in (0, 100] (got ${volatilityFactor})`);
  }
  if (!Number.isFinite(trendFactor) || Math.abs(trendFactor) > 100) {
    throw new RangeError(`trend_factor must be within [-100, 100] (got ${trendFactor})`);
  }
  if (!Number.isInteger(dataPoints) || dataPoints < 3 || dataPoints > maxPoints) {
    throw new RangeError(`data_points must be an integer in [3, ${maxPoints}] (got ${dataPoints})`);
  }
  if (!(noiseLevel >= 0 && noiseLevel <= 1)) {
    throw new RangeError(`noise_level must be in [0, 1] (got ${noiseLevel})`);
  }
  return parameters;
}

/**
 * A simulated close series of `parameters.dataPoints` prices calibrated on `historical` closes
 * (at least three, > 0), starting from the last historical price:
 * - STATISTICAL_SIMILARITY: a block bootstrap of the historical log returns (blocks of 5 keep
 *   short-range dependence), volatility scaled;
 * - MONTE_CARLO: geometric Brownian motion with the historical drift and volatility (Itô-correct
 *   in log space);
 * - BROWNIAN_MOTION: arithmetic Brownian motion on price differences (can approach zero; floored
 *   at a tiny positive price);
 * - MEAN_REVERSION: an Ornstein–Uhlenbeck process on log prices, calibrated by AR(1) regression,
 *   toward the historical mean log price;
 * - TREND_FOLLOWING: momentum, each return carrying a share (the lag-1 autocorrelation, at least
 *   0.2, times the trend factor) of the previous one.
 * With `includeNoise`, each return gets extra normal noise of `noiseLevel` × σ.
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
  const sigma = standardDeviation(returns) * parameters.volatilityFactor;
  const drift = (returns.reduce((sum, r) => sum + r, 0) / returns.length) * parameters.trendFactor;
  const noise = () =>
    parameters.includeNoise ? parameters.noiseLevel * sigma * random.normal() : 0;
  const start = historical[historical.length - 1] as number;
  const prices = [start];
  let price = start;
  const push = (logReturn: number) => {
    price *= Math.exp(logReturn + noise());
    prices.push(price);
  };
  const steps = parameters.dataPoints - 1;
  switch (model) {
    case "STATISTICAL_SIMILARITY": {
      const block = 5;
      const scale = parameters.volatilityFactor;
      const meanReturn = returns.reduce((sum, r) => sum + r, 0) / returns.length;
      while (prices.length <= steps) {
        const from = Math.floor(random.uniform() * returns.length);
        for (let k = 0; k < block && prices.length <= steps; k++) {
          const r = returns[(from + k) % returns.length] as number;
          // Scale the deviation from the mean return; keep (a scaled) drift.
          push(meanReturn * parameters.trendFactor + (r - meanReturn) * scale);
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
        price = Math.max(floor, price + diffDrift + diffSigma * random.normal() + noise() * price);
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
      // Mean-reverting by construction: at least 2 % of the gap closes per step.
      const b = Math.min(-0.02, varX === 0 ? -0.02 : cov / varX);
      const level = meanX;
      let logPrice = Math.log(start);
      for (let i = 0; i < steps; i++) {
        logPrice += b * (logPrice - level) + sigma * random.normal() + noise();
        prices.push(Math.exp(logPrice));
      }
      break;
    }
    case "TREND_FOLLOWING": {
      const phi = Math.min(
        0.9,
        Math.max(0.2, pearson(returns.slice(0, -1), returns.slice(1))) *
          Math.abs(parameters.trendFactor),
      );
      const innovation = sigma * Math.sqrt(1 - phi * phi);
      let previous = returns[returns.length - 1] as number;
      for (let i = 0; i < steps; i++) {
        const r = phi * previous + (1 - phi) * drift + innovation * random.normal();
        push(r);
        previous = r;
      }
      break;
    }
  }
  return prices;
}
