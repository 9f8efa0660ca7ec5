import {
  checkDate,
  checkDecimal,
  checkInteger,
  checkMetadata,
  type Metadata,
  ValidationError,
} from "@tse/field-checks";
import {
  CANDLE_INTERVAL_MS,
  CANDLE_INTERVALS,
  type CandleInterval,
  validateCandleInterval,
} from "./candle-interval.js";
import { CandleSeriesMap } from "./candle-series-map.js";
import { validateSymbol } from "./market-symbol.js";

/**
 * An OHLCV candle, as stored in `candles`. `(symbol, interval, startTime)` identifies it: writing
 * it again replaces it (the still-open candle is rewritten as it grows). Its fields are those of
 * the validated record below, declared once there.
 */
export type Candle = { readonly [Field in keyof ValidatedCandle]: ValidatedCandle[Field] };

/** A candle as a caller gives it: `endTime`, `numTrades` and `metadata` may be left out. */
export type CandleInput = Omit<Candle, "endTime" | "numTrades" | "metadata"> & {
  /** Defaults to `startTime` + the interval; when given it must equal it. */
  readonly endTime?: Date;
  /** Defaults to 0. */
  readonly numTrades?: number;
  readonly metadata?: Metadata;
};

/**
 * The records validateCandle produces: frozen, so still valid, and constructed nowhere else, so
 * the private brand marks a candle validated. It replaced a WeakSet of validated records, whose
 * add and lookup cost more than the rest of validation on batches of 100 000 candles.
 */
class ValidatedCandle {
  // A private field rather than the prototype: `instanceof` can be fooled by
  // `Object.setPrototypeOf`, a private brand cannot.
  readonly #validated = true;
  readonly symbol: string;
  readonly interval: CandleInterval;
  /** > 0, between `low` and `high`. */
  readonly open: number;
  /** > 0, ≥ every other price. */
  readonly high: number;
  /** > 0, ≤ every other price. */
  readonly low: number;
  /** > 0, between `low` and `high`. */
  readonly close: number;
  /** ≥ 0. */
  readonly volume: number;
  /** A multiple of the interval since the Unix epoch (UTC). */
  readonly startTime: Date;
  /** `startTime` + the interval. */
  readonly endTime: Date;
  /** Integer ≥ 0. */
  readonly numTrades: number;
  readonly metadata: Metadata;

  constructor(candle: Candle) {
    this.symbol = candle.symbol;
    this.interval = candle.interval;
    this.open = candle.open;
    this.high = candle.high;
    this.low = candle.low;
    this.close = candle.close;
    this.volume = candle.volume;
    this.startTime = candle.startTime;
    this.endTime = candle.endTime;
    this.numTrades = candle.numTrades;
    this.metadata = candle.metadata;
    Object.freeze(this);
  }

  /** Whether validateCandle returned `value`. */
  static is(value: unknown): value is ValidatedCandle {
    return typeof value === "object" && value !== null && #validated in value;
  }
}

/**
 * Validates a candle and returns the record to store (a copy).
 *
 * Contract: throws a `ValidationError` for an invalid symbol; an interval outside
 * {@link CANDLE_INTERVALS}; an open, high, low or close that is not a finite number > 0 (at 8
 * decimals) or ≥ 10^16; a high below the low, or an open or close outside [low, high]; a negative
 * or non-finite volume; a start time that is not a valid `Date` aligned to the interval (UTC,
 * from the epoch); an end time other than start + interval; a trade count that is not an
 * integer ≥ 0; metadata that is not a JSON object. Rounds decimals to 8 places first, so the
 * OHLC rules hold for the stored values as Postgres checks them.
 *
 * The record is frozen; given a record it returned, it returns that record at once (the
 * write-behind buffer validates on enqueue, the repository again on write).
 */
export function validateCandle(input: CandleInput): Candle {
  if (ValidatedCandle.is(input)) return input;
  if (typeof input !== "object" || input === null) {
    throw new ValidationError("candle", "must be an object", input);
  }
  const symbol = validateSymbol(input.symbol);
  const interval = validateCandleInterval(input.interval);
  const open = checkDecimal("open", input.open, "positive");
  const high = checkDecimal("high", input.high, "positive");
  const low = checkDecimal("low", input.low, "positive");
  const close = checkDecimal("close", input.close, "positive");
  if (high < low) throw new ValidationError("high", `must not be below low (${low})`, input.high);
  if (open < low || open > high) {
    throw new ValidationError(
      "open",
      `must be between low (${low}) and high (${high})`,
      input.open,
    );
  }
  if (close < low || close > high) {
    throw new ValidationError(
      "close",
      `must be between low (${low}) and high (${high})`,
      input.close,
    );
  }
  const startTime = checkDate("startTime", input.startTime);
  const length = CANDLE_INTERVAL_MS[interval];
  if (startTime.getTime() % length !== 0) {
    throw new ValidationError("startTime", `must be aligned to ${interval} (UTC)`, input.startTime);
  }
  const endTime = new Date(startTime.getTime() + length);
  if (
    input.endTime !== undefined &&
    checkDate("endTime", input.endTime).getTime() !== endTime.getTime()
  ) {
    throw new ValidationError(
      "endTime",
      `must be startTime + ${interval} (${endTime.toISOString()})`,
      input.endTime,
    );
  }
  return new ValidatedCandle({
    symbol,
    interval,
    open,
    high,
    low,
    close,
    volume: checkDecimal("volume", input.volume, "non-negative"),
    startTime,
    endTime,
    numTrades: checkInteger("numTrades", input.numTrades ?? 0, 0),
    metadata: checkMetadata("metadata", input.metadata),
  });
}

/** The identity of a candle in a store: `symbol`, `interval`, `startTime`. */
export function candleKey(candle: Pick<Candle, "symbol" | "interval" | "startTime">): string {
  return `${candle.symbol}\u0000${candle.interval}\u0000${candle.startTime.getTime()}`;
}

/**
 * Keeps, for each `(symbol, interval, startTime)`, only the last candle of `candles` (a later
 * update of the open candle supersedes an earlier one in the same batch), in the order of those
 * last occurrences. Postgres refuses to upsert one key twice in a statement; every store uses
 * this so they agree.
 */
export function lastCandlePerKey(candles: readonly Candle[]): Candle[] {
  if (startsIncreasePerSeries(candles)) return [...candles];
  const byKey = new Map<string, Candle>();
  for (const candle of candles) {
    const key = candleKey(candle);
    // Delete first so the map's order is that of the last occurrence.
    byKey.delete(key);
    byKey.set(key, candle);
  }
  return [...byKey.values()];
}

/**
 * Whether every series' candles come in strictly increasing start order — the usual shape of a
 * batch (a backfill, a flush) — so no key repeats and {@link lastCandlePerKey} has nothing to do.
 */
function startsIncreasePerSeries(candles: readonly Candle[]): boolean {
  // A mutable holder per series: one lookup per candle instead of a lookup and a store.
  const lastStart = new CandleSeriesMap<{ start: number }>();
  for (const candle of candles) {
    const start = candle.startTime.getTime();
    const last = lastStart.get(candle);
    if (last === undefined) {
      lastStart.set(candle, { start });
    } else if (start <= last.start) {
      return false;
    } else {
      last.start = start;
    }
  }
  return true;
}

/**
 * Orders candles by symbol (code units, the order of Postgres' `collate "C"` for these ASCII
 * symbols), then by interval length: the order of `lastPersistedAll` in every store.
 */
export function compareCandleSeries(a: Candle, b: Candle): number {
  return (
    (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) ||
    CANDLE_INTERVALS.indexOf(a.interval) - CANDLE_INTERVALS.indexOf(b.interval)
  );
}
