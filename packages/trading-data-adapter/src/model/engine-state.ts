import { checkDate, checkObject, ValidationError } from "@tse/field-checks";
import { checkJsonObject, type JsonObject } from "./field-checks.js";

/**
 * An engine state key: a lower-case letter, then up to 62 of `a-z 0-9 _` (1 to 63 characters;
 * also a `check` of the `engine_state` table).
 */
export const ENGINE_STATE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** The largest engine state value accepted: its JSON text, in UTF-8 bytes (64 KiB). */
export const MAX_ENGINE_STATE_BYTES = 65_536;

/**
 * One piece of the engine's own state that must survive a restart (an engaged circuit breaker,
 * changed risk limits, …), as stored in `engine_state`, keyed by `key`. Writing it again
 * replaces its value and `updatedAt`.
 */
export interface EngineStateRecord {
  /** Matches {@link ENGINE_STATE_KEY_PATTERN}, e.g. `risk_limits`. */
  readonly key: string;
  /** A JSON object whose JSON text is at most {@link MAX_ENGINE_STATE_BYTES} bytes. */
  readonly value: JsonObject;
  readonly updatedAt: Date;
}

/** Whether `value` is an engine state key (matches {@link ENGINE_STATE_KEY_PATTERN}). */
export function isEngineStateKey(value: unknown): value is string {
  return typeof value === "string" && ENGINE_STATE_KEY_PATTERN.test(value);
}

const validated = new WeakSet<object>();

/**
 * Validates an engine state record and returns the record to store: a frozen copy whose value
 * is a deeply frozen copy too.
 *
 * Contract: throws a `ValidationError` naming the field for a key outside
 * {@link ENGINE_STATE_KEY_PATTERN}; a value that is not a plain JSON object (an array, `null`,
 * a class instance, a non-finite number, a string with NUL or a lone surrogate, more than 32
 * levels deep) or whose JSON text is longer than {@link MAX_ENGINE_STATE_BYTES} UTF-8 bytes; an
 * `updatedAt` that is not a valid `Date`. Given a record it returned, it returns that record at
 * once.
 */
export function validateEngineState(input: EngineStateRecord): EngineStateRecord {
  if (validated.has(input)) return input;
  const e = checkObject("engineState", input);
  if (!isEngineStateKey(e.key)) {
    throw new ValidationError(
      "key",
      "must be 1-63 characters of a-z, 0-9 and '_', starting with a letter",
      e.key,
    );
  }
  const value = checkJsonObject("value", e.value);
  const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
  if (bytes > MAX_ENGINE_STATE_BYTES) {
    throw new ValidationError(
      "value",
      `must be at most ${MAX_ENGINE_STATE_BYTES} bytes of JSON (is ${bytes})`,
      e.value,
    );
  }
  const record: EngineStateRecord = Object.freeze({
    key: e.key,
    value,
    updatedAt: checkDate("updatedAt", e.updatedAt),
  });
  validated.add(record);
  return record;
}
