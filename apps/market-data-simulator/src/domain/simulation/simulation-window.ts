import { CANDLE_INTERVALS, type CandleInterval } from "../candles/candle-aggregator.js";

/** Candles per series when neither `data_points` nor a start time says otherwise. */
export const DEFAULT_SIMULATION_POINTS = 100;

/** The fewest candles a simulation works on: two returns give a volatility. */
export const MIN_SIMULATION_POINTS = 3;

/** 0001-01-01T00:00:00Z, the earliest instant a google.protobuf.Timestamp can carry. */
export const EARLIEST_WINDOW_START = -62_135_596_800_000;

/** The window a GenerateSimulation request asks for. */
export interface WindowRequest {
  readonly interval: CandleInterval;
  /** Epoch ms: periods starting at or after it. Unset: `dataPoints` periods before the end. */
  readonly from?: number;
  /** Epoch ms: periods starting before it. Unset: up to the open period. */
  readonly to?: number;
  /** Candles wanted, the most recent of the window; unset: 100 without `from`, else all. */
  readonly dataPoints?: number;
}

/** The closed periods a simulation covers: `count` of `interval`, from `firstStart` to `end`. */
export interface CandleWindow {
  readonly interval: CandleInterval;
  /** Start of the first period, epoch ms, aligned to the interval. */
  readonly firstStart: number;
  /** End of the last period (exclusive), epoch ms, aligned: never after `closedUntil`. */
  readonly end: number;
  readonly count: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Resolves a request into whole, closed periods: those starting in `[from, to)` and ending by
 * `closedUntil` (the start of the open candle — only closed candles are history), the most
 * recent `dataPoints` of them. Throws a `RangeError` naming the field for a `dataPoints`
 * outside [{@link MIN_SIMULATION_POINTS}, `maxPoints`], `from ≥ to`, a window of all its
 * periods longer than `maxPoints`, fewer than {@link MIN_SIMULATION_POINTS} closed periods, or
 * a window starting before {@link EARLIEST_WINDOW_START}.
 */
export function resolveWindow(
  request: WindowRequest,
  closedUntil: number,
  maxPoints: number,
): CandleWindow {
  const { interval, from, to, dataPoints } = request;
  const length = CANDLE_INTERVALS[interval];
  if (
    dataPoints !== undefined &&
    !(
      Number.isInteger(dataPoints) &&
      dataPoints >= MIN_SIMULATION_POINTS &&
      dataPoints <= maxPoints
    )
  ) {
    throw new RangeError(
      `data_points must be an integer in [${MIN_SIMULATION_POINTS}, ${maxPoints}] (got ${dataPoints})`,
    );
  }
  if (from !== undefined && to !== undefined && from >= to) {
    throw new RangeError("start_time must be before end_time");
  }
  const end = Math.min(
    to === undefined ? closedUntil : Math.ceil(to / length) * length,
    closedUntil,
  );
  let count: number;
  if (from === undefined) {
    count = dataPoints ?? DEFAULT_SIMULATION_POINTS;
  } else {
    const available = Math.max(0, (end - Math.ceil(from / length) * length) / length);
    if (dataPoints === undefined && available > maxPoints) {
      throw new RangeError(
        `start_time to end_time holds ${available} ${interval} candles, more than the maximum of ${maxPoints}: narrow the window or set data_points`,
      );
    }
    count = Math.min(dataPoints ?? available, available);
  }
  if (count < MIN_SIMULATION_POINTS) {
    throw new RangeError(
      `start_time to end_time holds ${count} closed ${interval} candles; at least ${MIN_SIMULATION_POINTS} are needed (the open one starts at ${iso(closedUntil)})`,
    );
  }
  const firstStart = end - count * length;
  if (firstStart < EARLIEST_WINDOW_START) {
    throw new RangeError(
      `the window would start at ${firstStart} ms, before 0001-01-01T00:00:00Z: move end_time later or ask for fewer data_points`,
    );
  }
  return { interval, firstStart, end, count };
}
