import {
  checkDate,
  checkEnum,
  checkFreeText,
  checkObject,
  checkOptionalDate,
  checkText,
  ValidationError,
  validateSymbol,
} from "@tse/field-checks";
import { checkJsonObject, type JsonObject, MAX_REASON_LENGTH, optional } from "./field-checks.js";

/** The life-cycle states of a strategy (the `strategy_status` enum). */
export const STRATEGY_STATUSES = Object.freeze([
  "inactive",
  "active",
  "paused",
  "stopped",
  "error",
] as const);

/** One of {@link STRATEGY_STATUSES}. */
export type StrategyStatus = (typeof STRATEGY_STATUSES)[number];

/** The kinds of strategy (the `strategy_type` enum). */
export const STRATEGY_TYPES = Object.freeze(["market_making", "mean_reversion"] as const);

/** One of {@link STRATEGY_TYPES}. */
export type StrategyType = (typeof STRATEGY_TYPES)[number];

/** A strategy id: 1 to 64 of `A-Z a-z 0-9 _ -` (also a `check` of the `strategies` table). */
export const STRATEGY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The longest strategy name accepted. */
export const MAX_STRATEGY_NAME_LENGTH = 200;

/**
 * A strategy as stored in `strategies`, keyed by `strategyId`. Writing it again replaces every
 * field.
 */
export interface StrategyRecord {
  /** Matches {@link STRATEGY_ID_PATTERN}. */
  readonly strategyId: string;
  /** Non-empty, at most 200 characters. */
  readonly name: string;
  readonly type: StrategyType;
  /** The instruments it trades: at least one, distinct, each a symbol like `BTC-USD`. */
  readonly instruments: readonly string[];
  /** Strategy-specific parameters (a JSON object). */
  readonly parameters: JsonObject;
  /** Strategy-specific limits (a JSON object). */
  readonly limits: JsonObject;
  readonly status: StrategyStatus;
  /** Why it is in its status (may be empty). */
  readonly statusReason: string;
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly updatedAt: Date;
  readonly stoppedAt?: Date;
  /** Free-form JSON object; absent means `{}` (a record read back always has it). */
  readonly metadata?: JsonObject;
}

/** Checks a strategy id against {@link STRATEGY_ID_PATTERN}. */
export function validateStrategyId(value: unknown, field = "strategyId"): string {
  if (typeof value !== "string" || !STRATEGY_ID_PATTERN.test(value)) {
    throw new ValidationError(
      field,
      "must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'",
      value,
    );
  }
  return value;
}

/** Checks an instrument: a market symbol like `BTC-USD`. */
export function validateInstrument(value: unknown, field = "instrument"): string {
  return validateSymbol(value, field);
}

const validated = new WeakSet<object>();

/**
 * Validates a strategy and returns the record to store: a deeply frozen copy whose JSON
 * objects are copies too and whose `metadata` is present (`{}` when absent).
 *
 * Contract: throws a `ValidationError` naming the field for an id outside
 * {@link STRATEGY_ID_PATTERN}; an empty or too long name; a type or status outside the enums; an
 * empty instrument list, an instrument that is not a symbol, or one listed twice; parameters,
 * limits or metadata that are not JSON objects; a status reason that is not a string; a
 * `createdAt` / `updatedAt` that is not a valid `Date`, or a `startedAt` / `stoppedAt` that is
 * present but not a valid `Date`. Given a record it returned, it returns that record at once.
 */
export function validateStrategy(input: StrategyRecord): StrategyRecord {
  if (validated.has(input)) return input;
  const s = checkObject("strategy", input);
  const instruments = checkInstruments(s.instruments);
  const record: StrategyRecord = Object.freeze({
    strategyId: validateStrategyId(s.strategyId),
    name: checkText("name", s.name, MAX_STRATEGY_NAME_LENGTH),
    type: checkEnum("type", s.type, STRATEGY_TYPES),
    instruments,
    parameters: checkJsonObject("parameters", s.parameters),
    limits: checkJsonObject("limits", s.limits),
    status: checkEnum("status", s.status, STRATEGY_STATUSES),
    statusReason: checkFreeText("statusReason", s.statusReason, MAX_REASON_LENGTH),
    createdAt: checkDate("createdAt", s.createdAt),
    ...optional("startedAt", checkOptionalDate("startedAt", s.startedAt)),
    updatedAt: checkDate("updatedAt", s.updatedAt),
    ...optional("stoppedAt", checkOptionalDate("stoppedAt", s.stoppedAt)),
    metadata: s.metadata === undefined ? EMPTY : checkJsonObject("metadata", s.metadata),
  });
  validated.add(record);
  return record;
}

const EMPTY: JsonObject = Object.freeze({});

function checkInstruments(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ValidationError("instruments", "must be a non-empty array", value);
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const instrument = validateInstrument(value[i], `instruments[${i}]`);
    if (seen.has(instrument)) {
      throw new ValidationError(`instruments[${i}]`, "must not repeat an instrument", instrument);
    }
    seen.add(instrument);
    out.push(instrument);
  }
  return Object.freeze(out);
}
