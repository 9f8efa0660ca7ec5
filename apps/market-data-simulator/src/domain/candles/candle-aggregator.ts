import { roundQuantity } from "../market/microstructure.js";

/** The candle intervals the simulator aggregates, shortest first, with their length in ms. */
export const CANDLE_INTERVALS = Object.freeze({
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "4h": 14_400_000,
  "1d": 86_400_000,
} as const);

/** One of {@link CANDLE_INTERVALS}. */
export type CandleInterval = keyof typeof CANDLE_INTERVALS;

/** The intervals in ascending length. */
export const INTERVALS = Object.freeze(Object.keys(CANDLE_INTERVALS) as CandleInterval[]);

/** An OHLCV candle of one symbol and interval; times are epoch ms, `start` aligned to the interval (UTC). */
export interface OhlcCandle {
  readonly symbol: string;
  readonly interval: CandleInterval;
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly trades: number;
}

/** One trade (or tick) folded into the candles. */
export interface Tick {
  readonly symbol: string;
  readonly price: number;
  /** Traded quantity (≥ 0). */
  readonly quantity: number;
  /** Epoch ms; ticks of a symbol arrive in non-decreasing time. */
  readonly timestamp: number;
}

/** What one {@link CandleAggregator.add} changed. */
export interface AggregationResult {
  /** Candles that ended before this tick, shortest interval first. */
  readonly closed: readonly OhlcCandle[];
  /** The open candle of every interval after this tick, shortest first. */
  readonly open: readonly OhlcCandle[];
}

interface MutableCandle {
  symbol: string;
  interval: CandleInterval;
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

/** The start of the `interval` candle holding `timestamp` (UTC, from the epoch). */
export function candleStart(timestamp: number, interval: CandleInterval): number {
  const length = CANDLE_INTERVALS[interval];
  return Math.floor(timestamp / length) * length;
}

/**
 * Builds candles of every interval from ticks (docs/architecture.md#market-simulation: candles are
 * aggregated, never generated separately). Every interval folds the same ticks, so a 5m candle is
 * exactly the aggregate of its five 1m candles (open of the first, close of the last, extreme high
 * and low, summed volume and trades), and `low ≤ open, close ≤ high` holds by construction. Volumes
 * are kept on the stores' 8 decimals (`roundQuantity`), so no float noise builds up in them.
 *
 * Contract: a tick older than its symbol's open 1m candle is refused with a `RangeError` (the
 * feed's clock only moves forward); a tick in a later period closes the open candle (reported in
 * `closed`) and opens a new one at the tick's price. Periods without ticks produce no candle.
 */
export class CandleAggregator {
  readonly #open = new Map<string, MutableCandle[]>();

  /**
   * Continues from stored candles (the last persisted candle of each interval, e.g. after a
   * restart), so the next ticks extend them instead of starting conflicting ones. A candle whose
   * period has passed by the next tick is closed then, as usual.
   */
  resume(candles: readonly OhlcCandle[]): void {
    for (const candle of candles) {
      const open = this.#openOf(candle.symbol);
      const index = INTERVALS.indexOf(candle.interval);
      const current = open[index];
      if (current === undefined || current.start <= candle.start) open[index] = { ...candle };
    }
  }

  /** Folds `tick` into every interval's candle of its symbol. */
  add(tick: Tick): AggregationResult {
    if (!(tick.price > 0) || !Number.isFinite(tick.price)) {
      throw new RangeError(`tick price must be a finite number > 0 (got ${tick.price})`);
    }
    if (!(tick.quantity >= 0) || !Number.isFinite(tick.quantity)) {
      throw new RangeError(`tick quantity must be a finite number ≥ 0 (got ${tick.quantity})`);
    }
    const open = this.#openOf(tick.symbol);
    const minute = open[0];
    if (minute !== undefined && tick.timestamp < minute.start) {
      throw new RangeError(
        `tick at ${new Date(tick.timestamp).toISOString()} is older than the open candle of ${tick.symbol}`,
      );
    }
    const closed: OhlcCandle[] = [];
    for (let i = 0; i < INTERVALS.length; i++) {
      const interval = INTERVALS[i] as CandleInterval;
      const start = candleStart(tick.timestamp, interval);
      const candle = open[i];
      if (candle === undefined || candle.start < start) {
        if (candle !== undefined) closed.push({ ...candle });
        open[i] = {
          symbol: tick.symbol,
          interval,
          start,
          open: tick.price,
          high: tick.price,
          low: tick.price,
          close: tick.price,
          volume: roundQuantity(tick.quantity),
          trades: 1,
        };
      } else {
        candle.high = Math.max(candle.high, tick.price);
        candle.low = Math.min(candle.low, tick.price);
        candle.close = tick.price;
        candle.volume = roundQuantity(candle.volume + tick.quantity);
        candle.trades += 1;
      }
    }
    return { closed, open: open.map((candle) => ({ ...candle })) };
  }

  /** The open candle of `symbol` and `interval`, if any tick reached it. */
  openCandle(symbol: string, interval: CandleInterval): OhlcCandle | undefined {
    const candle = this.#open.get(symbol)?.[INTERVALS.indexOf(interval)];
    return candle === undefined ? undefined : { ...candle };
  }

  #openOf(symbol: string): MutableCandle[] {
    let open = this.#open.get(symbol);
    if (open === undefined) {
      open = [];
      this.#open.set(symbol, open);
    }
    return open;
  }
}
