import { roundDecimal, ValidationError } from "@tse/market-data-adapter";

/**
 * The field checks every trading record is validated with. Each throws a `ValidationError`
 * (the one of `@tse/market-data-adapter`, so a service catches one class for both) naming the
 * field and the broken rule, and returns the value to store.
 */

/**
 * Rounds a number half away from zero to `scale` decimals as a `numeric` column stores it:
 * `@tse/market-data-adapter`'s, the one rule both adapters' stores follow.
 */
export { roundDecimal };

/** `numeric(20,8)`: every amount of the trading tables holds less than 10^12 in absolute value. */
export const AMOUNT_SCALE = 8;

/** Exclusive bound of the absolute value of a `numeric(20,8)`. */
export const AMOUNT_LIMIT = 1e12;

/** The sign rule an amount must satisfy once rounded to {@link AMOUNT_SCALE} places. */
export type Sign = "positive" | "non-negative" | "any";

/**
 * Checks an amount and returns it rounded as `numeric(20,8)` stores it (half away from zero on
 * its shortest decimal form), so the in-memory and the Postgres store keep the same number.
 * Refuses a value that is not a finite number, is too large for the column, or breaks `sign`
 * once rounded (a quantity of 1e-9 rounds to 0 and is not positive).
 */
export function checkAmount(field: string, value: unknown, sign: Sign): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ValidationError(field, "must be a finite number", value);
  }
  const rounded = roundDecimal(value, AMOUNT_SCALE);
  if (Math.abs(rounded) >= AMOUNT_LIMIT) {
    throw new ValidationError(field, `must be less than ${AMOUNT_LIMIT} in absolute value`, value);
  }
  if (sign === "positive" && !(rounded > 0)) {
    throw new ValidationError(
      field,
      `must be greater than 0 (at ${AMOUNT_SCALE} decimal places)`,
      value,
    );
  }
  if (sign === "non-negative" && rounded < 0) {
    throw new ValidationError(field, "must not be negative", value);
  }
  // `-0` prints as "0" but is not `Object.is` 0; normalise it.
  return rounded === 0 ? 0 : rounded;
}

/** The longest status reason accepted (of a strategy or an order). */
export const MAX_REASON_LENGTH = 1_000;

/** Checks a timestamp: a `Date` holding a real time. Returns a copy. */
export function checkDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, "must be a valid Date", value);
  }
  return new Date(value.getTime());
}

/** Checks an optional timestamp: absent (`undefined`), or a valid `Date` (copied). */
export function checkOptionalDate(field: string, value: unknown): Date | undefined {
  return value === undefined ? undefined : checkDate(field, value);
}

/** Checks a non-empty string of at most `maxLength` characters without NUL (Postgres refuses NUL). */
export function checkText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(field, "must be a non-empty string", value);
  }
  return checkFreeText(field, value, maxLength);
}

/** Checks a string that may be empty (a status reason): at most `maxLength` characters, no NUL. */
export function checkFreeText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== "string") throw new ValidationError(field, "must be a string", value);
  if (value.length > maxLength) {
    throw new ValidationError(field, `must be at most ${maxLength} characters`, value);
  }
  if (value.includes("\0")) throw new ValidationError(field, "must not contain NUL", value);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID string (any case). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Checks a UUID and returns it in lower case, the form Postgres prints. */
export function checkUuid(field: string, value: unknown): string {
  if (!isUuid(value)) throw new ValidationError(field, "must be a UUID", value);
  return value.toLowerCase();
}

/** Checks that `value` is one of `allowed`. */
export function checkEnum<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(", ")}`, value);
  }
  return value as T;
}

/** A JSON object as stored in a `jsonb` column, deeply frozen once validated. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Checks a JSON object (a plain object of JSON values: strings and keys without NUL or lone
 * surrogates, which `jsonb` refuses; finite numbers, booleans, null, arrays, plain objects; at
 * most 32 levels deep). Returns a deeply frozen copy, so a caller mutating its object later
 * cannot change what a store holds. Properties whose value is `undefined` are left out, as
 * `JSON.stringify` would.
 */
export function checkJsonObject(field: string, value: unknown): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(field, "must be a JSON object", value);
  }
  return copyJson(field, value, 0) as JsonObject;
}

function copyJson(field: string, value: unknown, depth: number): unknown {
  if (depth > 32) throw new ValidationError(field, "must not nest deeper than 32 levels", value);
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return checkJsonString(field, value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new ValidationError(field, "must hold only finite numbers", value);
    }
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) {
    return Object.freeze(value.map((item) => copyJson(field, item, depth + 1)));
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      checkJsonString(field, key);
      if (item !== undefined) copy[key] = copyJson(field, item, depth + 1);
    }
    return Object.freeze(copy);
  }
  throw new ValidationError(field, "must hold only JSON values", value);
}

/** A UTF-16 surrogate not part of a pair (with the `u` flag, pairs match as one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A string or key of a JSON value: no NUL, no lone surrogate (`jsonb` refuses both). */
function checkJsonString(field: string, value: string): string {
  if (value.includes("\0")) throw new ValidationError(field, "must not contain NUL", value);
  if (LONE_SURROGATE.test(value)) {
    throw new ValidationError(field, "must not contain a lone surrogate", value);
  }
  return value;
}

/** Checks that `value` is an object (a record to validate); `what` names it in the error. */
export function checkObject(what: string, value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(what, "must be an object", value);
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * Validates every item of a batch before anything is written: the first bad item throws a
 * `ValidationError` whose field names its position (`orders[3].quantity`).
 */
export function validateBatch<T>(
  name: string,
  items: unknown,
  validate: (item: unknown) => T,
): T[] {
  if (!Array.isArray(items)) throw new ValidationError(name, "must be an array", items);
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new ValidationError(`${name}[${i}]`, "must be an object", item);
    }
    try {
      out[i] = validate(item);
    } catch (error) {
      if (error instanceof ValidationError) throw error.withFieldPrefix(`${name}[${i}]`);
      throw error;
    }
  }
  return out;
}

/**
 * `{ [key]: value }` when `value` is defined, else `{}`: how optional fields are spread into a
 * record under `exactOptionalPropertyTypes` (absent, never `undefined`).
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
