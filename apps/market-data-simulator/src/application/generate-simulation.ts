import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import {
  type CandleInterval,
  candleStart,
  type OhlcCandle,
} from "../domain/candles/candle-aggregator.js";
import type { MarketSimulator } from "../domain/engine/market-simulator.js";
import { roundToTick } from "../domain/market/microstructure.js";
import { clampToBounds } from "../domain/market/price-bounds.js";
import type { SymbolConfig } from "../domain/market/symbol-universe.js";
import { SeededRandom, streamSeed } from "../domain/random/seeded-random.js";
import { type SimilarityMetrics, similarity } from "../domain/simulation/similarity.js";
import {
  type SimulationModel,
  type SimulationParameters,
  simulate,
  validateSimulationParameters,
} from "../domain/simulation/simulation-models.js";
import { type CandleWindow, resolveWindow } from "../domain/simulation/simulation-window.js";
import { synthesizeCandles } from "../domain/simulation/synthetic-history.js";
import type { CandleHistory } from "./candle-history.js";

/** Synthesized candles between two yields to the event loop (about 12 ms of work). */
const SYNTHESIS_SLICE = 1_000;

/** A GenerateSimulation request, independent of the wire contract. */
export interface SimulationRequest {
  readonly symbol: string;
  readonly model: SimulationModel;
  readonly interval: CandleInterval;
  /** Epoch ms bounds of the historical window (see `resolveWindow`). */
  readonly from?: number;
  readonly to?: number;
  /** Candles per series; unset: 100 without `from`, every closed candle of the window with it. */
  readonly dataPoints?: number;
  readonly parameters: SimulationParameters;
  /** The random seed; derived from the run seed and the simulation id when absent. */
  readonly seed?: number;
}

/**
 * Where the historical series came from: `recorded` — candles this instance simulated (memory
 * or the store) for every period of the window; `synthetic` — otherwise, the whole window
 * synthesized from the symbol's seeded price process.
 */
export type HistorySource = "recorded" | "synthetic";

/** What GenerateSimulation answers. */
export interface SimulationResult {
  readonly id: string;
  readonly seed: number;
  readonly source: HistorySource;
  /** Closed candles of the window, oldest first. */
  readonly historical: readonly OhlcCandle[];
  /** Candles of the simulated series over the same periods, on the tick grid, no volume. */
  readonly simulated: readonly OhlcCandle[];
  readonly metrics: SimilarityMetrics;
}

/** Why a simulation could not be made; the APIs map `invalid` to InvalidArgument / 400. */
export class SimulationRequestError extends Error {
  override readonly name = "SimulationRequestError";

  constructor(
    message: string,
    readonly kind: "invalid" | "not_found",
  ) {
    super(message);
  }
}

/**
 * GenerateSimulation (docs/protocols.md#rpc-services) for both APIs.
 *
 * Contract: the historical series is the window's closed candles of `interval` (see
 * `resolveWindow`: only periods that are over, at most `maxPoints`) — the recorded ones (memory,
 * then the store, see {@link CandleHistory}) when they cover every period of the window, else
 * the whole window synthesized by `synthesizeCandles` from the symbol's seeded price process,
 * seeded by the run seed, symbol, interval and window start (so any past window can be served
 * and the same window always gets the same candles). The simulated series covers the same
 * periods: it starts at the first historical open, is calibrated on the historical prices (the
 * first open, then every close) and is rounded to the symbol's tick within its price bounds
 * (the live market's, see `priceBoundsOf`). The metrics compare those
 * two price series. Reproducible: the same request with the same seed over a window whose
 * candles are closed gives the same series, however much later it is asked.
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
    const config = this.simulator.symbols.find((s) => s.symbol === request.symbol);
    if (config === undefined) {
      throw new SimulationRequestError(
        `unknown symbol ${JSON.stringify(request.symbol)}`,
        "not_found",
      );
    }
    let parameters: SimulationParameters;
    let window: CandleWindow;
    try {
      parameters = validateSimulationParameters(request.parameters);
      window = resolveWindow(
        request,
        this.#closedUntil(request.symbol, request.interval),
        this.maxPoints,
      );
    } catch (error) {
      throw new SimulationRequestError((error as Error).message, "invalid");
    }
    const { historical, source } = await this.#historical(config, window);
    this.#count += 1;
    const id = `sim-${this.#count}`;
    const seed = request.seed ?? streamSeed(this.runSeed, `${request.symbol}:${id}`);
    const prices = [(historical[0] as OhlcCandle).open, ...historical.map((c) => c.close)];
    const onGrid = (price: number) =>
      clampToBounds(roundToTick(price, config.tickSize, "nearest"), config.priceBounds);
    const path = simulate(request.model, prices, parameters, new SeededRandom(seed)).map(
      (price, i) => (i === 0 ? (prices[0] as number) : onGrid(price)),
    );
    const simulated = historical.map((candle, i): OhlcCandle => {
      const open = path[i] as number;
      const close = path[i + 1] as number;
      return {
        symbol: request.symbol,
        interval: request.interval,
        start: candle.start,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
        volume: 0,
        trades: 0,
      };
    });
    return { id, seed, source, historical, simulated, metrics: similarity(prices, path) };
  }

  /** The start of the symbol's open candle: periods before it are over. */
  #closedUntil(symbol: string, interval: CandleInterval): number {
    const now = candleStart(this.simulator.now, interval);
    // A stale symbol's open candle can be older than the clock's period; it is not over either.
    return Math.min(now, this.simulator.openCandle(symbol, interval)?.start ?? now);
  }

  async #historical(
    config: SymbolConfig,
    window: CandleWindow,
  ): Promise<{ historical: readonly OhlcCandle[]; source: HistorySource }> {
    const { symbol } = config;
    const recorded = await this.history.query(symbol, window.interval, {
      from: window.firstStart,
      to: window.end,
      limit: window.count,
    });
    if (recorded.length === window.count) return { historical: recorded, source: "recorded" };
    const historical: OhlcCandle[] = [];
    for (const candle of synthesizeCandles({
      config,
      interval: window.interval,
      firstStart: window.firstStart,
      count: window.count,
      seed: streamSeed(this.runSeed, `${symbol}:${window.interval}:${window.firstStart}`),
    })) {
      // A long window takes a while: let the live feed tick in between.
      if (historical.push(candle) % SYNTHESIS_SLICE === 0) await yieldToEventLoop();
    }
    return { historical, source: "synthetic" };
  }
}
