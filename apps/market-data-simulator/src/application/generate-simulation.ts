import {
  CANDLE_INTERVALS,
  type CandleInterval,
  type OhlcCandle,
} from "../domain/candles/candle-aggregator.js";
import type { MarketSimulator } from "../domain/engine/market-simulator.js";
import { SeededRandom, streamSeed } from "../domain/random/seeded-random.js";
import { type SimilarityMetrics, similarity } from "../domain/simulation/similarity.js";
import {
  type SimulationModel,
  type SimulationParameters,
  simulate,
  validateSimulationParameters,
} from "../domain/simulation/simulation-models.js";
import type { CandleHistory } from "./candle-history.js";

/** A GenerateSimulation request, independent of the wire contract. */
export interface SimulationRequest {
  readonly symbol: string;
  readonly model: SimulationModel;
  readonly interval: CandleInterval;
  /** Epoch ms bounds of the historical window; the newest candles when absent. */
  readonly from?: number;
  readonly to?: number;
  readonly parameters: SimulationParameters;
  /** The random seed; derived from the run seed and the simulation id when absent. */
  readonly seed?: number;
}

/** What GenerateSimulation answers. */
export interface SimulationResult {
  readonly id: string;
  readonly seed: number;
  readonly historical: readonly OhlcCandle[];
  /** Candles of the simulated series, continuing after the last historical one. */
  readonly simulated: readonly OhlcCandle[];
  readonly metrics: SimilarityMetrics;
}

/** Why a simulation could not be made; the APIs map `invalid` to InvalidArgument / 400. */
export class SimulationRequestError extends Error {
  override readonly name = "SimulationRequestError";

  constructor(
    message: string,
    readonly kind: "invalid" | "not_found" | "no_history",
  ) {
    super(message);
  }
}

/**
 * GenerateSimulation (DESIGN §5) for both APIs: the symbol's candles of `interval` (stored ones
 * when the service persists, see {@link CandleHistory}) as the historical series (at most `dataPoints` of them, in the requested window), a simulated series
 * of the requested model calibrated on their closes, and the computed similarity metrics.
 * Reproducible: the same request with the same seed gives the same series.
 */
export class SimulationService {
  #count = 0;

  constructor(
    private readonly simulator: MarketSimulator,
    private readonly history: CandleHistory,
    private readonly runSeed: number,
    private readonly maxPoints: number,
  ) {}

  async generate(request: SimulationRequest): Promise<SimulationResult> {
    if (!this.simulator.has(request.symbol)) {
      throw new SimulationRequestError(
        `unknown symbol ${JSON.stringify(request.symbol)}`,
        "not_found",
      );
    }
    let parameters: SimulationParameters;
    try {
      parameters = validateSimulationParameters(request.parameters, this.maxPoints);
    } catch (error) {
      throw new SimulationRequestError((error as Error).message, "invalid");
    }
    if (request.from !== undefined && request.to !== undefined && request.from >= request.to) {
      throw new SimulationRequestError("the start of the window must be before its end", "invalid");
    }
    const historical = await this.history.query(request.symbol, request.interval, {
      ...(request.from === undefined ? {} : { from: request.from }),
      ...(request.to === undefined ? {} : { to: request.to }),
      limit: parameters.dataPoints,
    });
    if (historical.length < 3) {
      throw new SimulationRequestError(
        `fewer than three ${request.interval} candles of history in the requested window`,
        "no_history",
      );
    }
    this.#count += 1;
    const id = `sim-${this.#count}`;
    const seed = request.seed ?? streamSeed(this.runSeed, `${request.symbol}:${id}`);
    const closes = historical.map((candle) => candle.close);
    const series = simulate(request.model, closes, parameters, new SeededRandom(seed));
    const length = CANDLE_INTERVALS[request.interval];
    const firstStart = (historical[historical.length - 1] as OhlcCandle).start + length;
    const simulated = series.map((close, i): OhlcCandle => {
      const open = i === 0 ? close : (series[i - 1] as number);
      return {
        symbol: request.symbol,
        interval: request.interval,
        start: firstStart + i * length,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
        volume: 0,
        trades: 0,
      };
    });
    const compared = Math.max(3, Math.min(series.length, closes.length));
    return {
      id,
      seed,
      historical,
      simulated,
      metrics: similarity(closes, series.slice(0, compared)),
    };
  }
}
