import type { MarketQuote, MarketSimulator } from "../domain/engine/market-simulator.js";
import { type RollingStats, RollingWindow } from "../domain/market/rolling-window.js";
import type { ScenarioSpec } from "../domain/scenarios/scenario.js";
import {
  previewScenario,
  type ScenarioPreviewPoint,
} from "../domain/scenarios/scenario-preview.js";

/** How many points a preview of a scenario yields at a given step. */
export { previewPointCount } from "../domain/scenarios/scenario-preview.js";

/** A preview asked for through an API. */
export interface LivePreviewRequest {
  /** The scenario's type and parameters; its symbols are filled in here. */
  readonly spec: Omit<ScenarioSpec, "symbols">;
  readonly symbol: string;
  /** Simulated ms between points. */
  readonly stepMs: number;
  readonly seed: number;
  /** Simulated epoch ms of the first point; the live clock when absent. */
  readonly startTime?: number;
}

/**
 * Previews a scenario on `symbol` from its live state (configuration and current mid) on a
 * private path: the live market is read, never changed. For DIVERGENCE the symbol diverges from
 * every other simulated symbol. Throws a `RangeError` for an unknown symbol, a DIVERGENCE with
 * no peer, or anything the domain refuses, before computing a point.
 */
export function previewOnLiveMarket(
  simulator: MarketSimulator,
  request: LivePreviewRequest,
): Iterable<ScenarioPreviewPoint> {
  const config = simulator.symbols.find((s) => s.symbol === request.symbol);
  const quote = simulator.quote(request.symbol);
  if (config === undefined || quote === undefined) {
    throw new RangeError(`symbol ${request.symbol} is not simulated`);
  }
  const peers =
    request.spec.type === "DIVERGENCE"
      ? simulator.symbols.map((s) => s.symbol).filter((s) => s !== request.symbol)
      : [];
  return previewScenario({
    config,
    spec: { ...request.spec, symbols: [request.symbol, ...peers] },
    startPrice: (quote.bid + quote.ask) / 2,
    startTime: request.startTime ?? simulator.now,
    stepMs: request.stepMs,
    seed: request.seed,
  });
}

/** A preview point with the symbol's 24h figures as they stand at it. */
export interface PreviewPointOfDay {
  readonly point: ScenarioPreviewPoint;
  /** Change, high, low and volume over the 24h up to the point; absent before any data. */
  readonly stats: RollingStats | undefined;
}

/**
 * Walks a preview path with the symbol's 24h figures: they continue the live ones (`quote`),
 * which enter as one bucket a day before `startTime`, and every point of the path is added
 * as it is reached. Lazy: a point's figures are computed when it is taken.
 */
export function* withDailyFigures(
  quote: MarketQuote,
  startTime: number,
  points: Iterable<ScenarioPreviewPoint>,
): Generator<PreviewPointOfDay> {
  const rolling = new RollingWindow();
  const dayBefore = startTime - 86_400_000 + 60_000;
  for (const price of [quote.last - quote.change24h, quote.high24h, quote.low24h]) {
    rolling.add(dayBefore, price, 0);
  }
  rolling.add(dayBefore, quote.last, quote.volume24h);
  for (const point of points) {
    rolling.add(point.timestamp, point.price, point.volume);
    yield { point, stats: rolling.stats(point.timestamp) };
  }
}
