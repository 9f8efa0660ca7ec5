import { makeTopOfBook, makeTrades, roundQuantity, roundToTick } from "../market/microstructure.js";
import { clampToBounds } from "../market/price-bounds.js";
import type { SymbolConfig } from "../market/symbol-universe.js";
import { PriceProcess } from "../price/price-process.js";
import { SeededRandom, streamSeed } from "../random/seeded-random.js";
import {
  combinedEffect,
  type RunningScenario,
  type ScenarioSpec,
  scenarioPhase,
  validateScenarioSpec,
} from "./scenario.js";

/** The most points one preview may have. */
export const MAX_PREVIEW_POINTS = 100_000;

/** A preview to compute: a scenario on one symbol, from a given state, on a private path. */
export interface ScenarioPreviewRequest {
  /** The symbol previewed (its dynamics and microstructure); `spec.symbols[0]` must name it. */
  readonly config: SymbolConfig;
  /** The scenario; for DIVERGENCE, `spec.symbols` also names the peers the symbol diverges from. */
  readonly spec: ScenarioSpec;
  /** The mid price the path starts from (the symbol's current mid). */
  readonly startPrice: number;
  /** Simulated epoch ms of the first point. */
  readonly startTime: number;
  /** Simulated ms between two points (> 0). */
  readonly stepMs: number;
  /** Seed of the preview's random numbers: the same request and seed give the same points. */
  readonly seed: number;
}

/** One point of a preview. */
export interface ScenarioPreviewPoint {
  /** Simulated epoch ms. */
  readonly timestamp: number;
  /** The price with the scenario applied, on the tick grid. */
  readonly price: number;
  /** The price of the same random path without the scenario, on the tick grid. */
  readonly baselinePrice: number;
  /** Quantity traded since the previous point on the scenario path. */
  readonly volume: number;
  /** `main` during the main phase, `recovery` after it. */
  readonly phase: "main" | "recovery";
}

/**
 * How many points {@link previewScenario} yields for `spec` at `stepMs`: one at the start and
 * one per step until the scenario (main phase, then recovery when it has one) is over.
 */
export function previewPointCount(spec: ScenarioSpec, stepMs: number): number {
  const scenario: RunningScenario = { id: "preview", spec, startedAt: 0, startPrices: {} };
  const mainMs = spec.durationSeconds * 1000;
  const totalMs = scenarioPhase(scenario, mainMs) === "recovery" ? 2 * mainMs : mainMs;
  return Math.floor(totalMs / stepMs) + 1;
}

/**
 * The path a scenario would give one symbol, computed privately (nothing live is touched): two
 * copies of the symbol's price process from `startPrice`, drawing the same random numbers, one
 * with the scenario's overlay and one without, so `price / baselinePrice` is the scenario's
 * effect alone. STALE_FEED holds the price at its last value while the feed is frozen. Steps
 * longer than a hundredth of the main phase are integrated in sub-steps, so a coarse preview
 * shows the same moves as a fine one.
 *
 * Lazy: a point is computed when the iterator is asked for it, so a consumer that stops early
 * costs nothing more. Throws a `RangeError` up front for an invalid spec, a spec that does not
 * start with the symbol, a non-positive step or price, or more than {@link MAX_PREVIEW_POINTS}
 * points.
 */
export function previewScenario(request: ScenarioPreviewRequest): Iterable<ScenarioPreviewPoint> {
  const { config, spec, startPrice, startTime, stepMs, seed } = request;
  validateScenarioSpec(spec);
  if (spec.symbols[0] !== config.symbol) {
    throw new RangeError(`the scenario must name ${config.symbol} first`);
  }
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) {
    throw new RangeError(`stepMs must be > 0 (got ${stepMs})`);
  }
  if (!(startPrice > 0) || !Number.isFinite(startPrice)) {
    throw new RangeError(`startPrice must be > 0 (got ${startPrice})`);
  }
  const count = previewPointCount(spec, stepMs);
  if (count > MAX_PREVIEW_POINTS) {
    throw new RangeError(
      `the preview would have ${count} points, more than ${MAX_PREVIEW_POINTS}: use a longer step`,
    );
  }
  return {
    *[Symbol.iterator]() {
      // The mid between bid and ask can sit just under the price floor.
      const dynamics = { ...config, initialPrice: clampToBounds(startPrice, config.priceBounds) };
      const withScenario = new PriceProcess([dynamics], { seed });
      const baseline = new PriceProcess([dynamics], { seed });
      const random = new SeededRandom(streamSeed(seed, `${config.symbol}:preview-trades`));
      const scenario: RunningScenario = {
        id: "preview",
        spec,
        startedAt: startTime,
        startPrices: { [config.symbol]: startPrice },
      };
      const onGrid = (price: number) => roundToTick(price, config.tickSize, "nearest");
      let mid = startPrice;
      let baselineMid = startPrice;
      let shown = onGrid(startPrice);
      const mainMs = spec.durationSeconds * 1000;
      // Phases are resolved to at least a hundredth of the main phase, whatever the step.
      const subSteps = Math.max(1, Math.ceil(stepMs / (mainMs / 100)));
      const subStepMs = stepMs / subSteps;
      yield {
        timestamp: startTime,
        price: shown,
        baselinePrice: shown,
        volume: 0,
        phase: "main",
      };
      for (let index = 1; index < count; index++) {
        const timestamp = startTime + index * stepMs;
        const previousMid = mid;
        let stale = false;
        for (let sub = 0; sub < subSteps; sub++) {
          // The overlay in force at the start of each sub-step, so a phase boundary falls
          // between sub-steps and every phase gets its whole move; bounded as on the live feed.
          const effect = combinedEffect(
            [scenario],
            config.symbol,
            timestamp - stepMs + sub * subStepMs,
          );
          stale ||= effect?.stale === true;
          [mid = mid] = withScenario.step(subStepMs / 1000, () => effect?.overlay);
          [baselineMid = baselineMid] = baseline.step(subStepMs / 1000);
        }
        const trades = stale
          ? []
          : makeTrades(
              previousMid,
              mid,
              makeTopOfBook(mid, config, random),
              config,
              stepMs / 1000,
              random,
            );
        if (!stale) shown = onGrid(mid);
        yield {
          timestamp,
          price: shown,
          baselinePrice: onGrid(baselineMid),
          volume: roundQuantity(trades.reduce((sum, trade) => sum + trade.quantity, 0)),
          phase: timestamp - startTime <= mainMs ? "main" : "recovery",
        };
      }
    },
  };
}
