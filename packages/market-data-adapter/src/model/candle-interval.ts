import { ValidationError } from "@tse/field-checks";

/** The candle intervals, shortest first. */
export const CANDLE_INTERVALS = Object.freeze(["1m", "5m", "15m", "1h", "4h", "1d"] as const);

/** One of {@link CANDLE_INTERVALS}. */
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

/** The length of each interval in milliseconds. */
export const CANDLE_INTERVAL_MS: Readonly<Record<CandleInterval, number>> = Object.freeze({
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "4h": 14_400_000,
  "1d": 86_400_000,
});

/** Whether `value` is one of {@link CANDLE_INTERVALS}. */
export function isCandleInterval(value: unknown): value is CandleInterval {
  return typeof value === "string" && (CANDLE_INTERVALS as readonly string[]).includes(value);
}

/** Checks an interval and returns it; throws a `ValidationError` naming `field` otherwise. */
export function validateCandleInterval(value: unknown, field = "interval"): CandleInterval {
  if (!isCandleInterval(value)) {
    throw new ValidationError(field, `must be one of ${CANDLE_INTERVALS.join(", ")}`, value);
  }
  return value;
}
