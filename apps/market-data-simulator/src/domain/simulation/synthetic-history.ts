import {
  CANDLE_INTERVALS,
  type CandleInterval,
  type OhlcCandle,
} from "../candles/candle-aggregator.js";
import { poisson, roundQuantity, roundToTick } from "../market/microstructure.js";
import { clampToBounds } from "../market/price-bounds.js";
import type { SymbolConfig } from "../market/symbol-universe.js";
import { PriceProcess } from "../price/price-process.js";
import { SeededRandom, streamSeed } from "../random/seeded-random.js";

/**
 * Price-process steps per synthesized candle: enough for highs and lows apart from the open
 * and close, few enough that the longest window (`MAX_SIMULATION_POINTS` candles) stays cheap.
 */
export const SYNTHETIC_STEPS_PER_CANDLE = 12;

/** Trades per second of a normal day, as the live tape draws them. */
const TRADES_PER_SECOND = 0.5;

/** What {@link synthesizeCandles} produces. */
export interface SyntheticWindow {
  readonly config: SymbolConfig;
  readonly interval: CandleInterval;
  /** Start of the first candle, epoch ms, aligned to the interval. */
  readonly firstStart: number;
  /** Candles to produce (≥ 1). */
  readonly count: number;
  readonly seed: number;
}

/**
 * `count` consecutive closed candles of one symbol and interval from `firstStart`, synthesized
 * from the symbol's own seeded price process (its configured initial price, volatility, drift,
 * jumps, mean reversion and regimes) — the model the live market runs, without its
 * microstructure, whose trade-by-trade tape would cost a trade per two simulated seconds.
 *
 * Contract: pure and reproducible — the same window and seed give the same candles. Each
 * candle's open is the previous close; open, high, low and close are the process' mid at the
 * period's start, extremes over {@link SYNTHETIC_STEPS_PER_CANDLE} steps and end, rounded to
 * the symbol's tick within its price bounds, so `low ≤ open, close ≤ high`. Volume is the
 * symbol's daily volume pro rata with log-normal variation (8 decimals), trades a Poisson
 * count at the live tape's rate. Lazy: each candle is computed when it is taken, so a caller
 * can pause between candles (a long window costs about 12 µs a candle).
 */
export function* synthesizeCandles(window: SyntheticWindow): Generator<OhlcCandle, void> {
  const { config, interval, firstStart, count, seed } = window;
  const length = CANDLE_INTERVALS[interval];
  const stepSeconds = length / 1_000 / SYNTHETIC_STEPS_PER_CANDLE;
  const process = new PriceProcess([config], { seed });
  const activity = new SeededRandom(streamSeed(seed, `${config.symbol}:synthetic-activity`));
  const onGrid = (price: number) =>
    clampToBounds(roundToTick(price, config.tickSize, "nearest"), config.priceBounds);
  const expectedVolume = (config.baseVolumePerDay * length) / 86_400_000;
  let mid = process.prices()[0] as number;
  for (let i = 0; i < count; i++) {
    const open = mid;
    let high = mid;
    let low = mid;
    for (let step = 0; step < SYNTHETIC_STEPS_PER_CANDLE; step++) {
      mid = process.step(stepSeconds)[0] as number;
      high = Math.max(high, mid);
      low = Math.min(low, mid);
    }
    yield {
      symbol: config.symbol,
      interval,
      start: firstStart + i * length,
      open: onGrid(open),
      high: onGrid(high),
      low: onGrid(low),
      close: onGrid(mid),
      volume: roundQuantity(expectedVolume * activity.logNormal(-0.125, 0.5)),
      trades: poisson((TRADES_PER_SECOND * length) / 1_000, activity),
    };
  }
}
