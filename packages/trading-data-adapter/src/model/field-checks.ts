import { checkDecimal, type DecimalColumn, type Sign, ValidationError } from "@tse/field-checks";

/**
 * The field checks of the trading tables' own columns. The generic checks (dates, text, UUIDs,
 * enums) are `@tse/postgres-kit`'s; each throws its `ValidationError` naming the field and the
 * broken rule, so a service catches one class for every adapter.
 */

/** `numeric(20,8)`: every amount of the trading tables holds less than 10^12 in absolute value. */
export const AMOUNT_SCALE = 8;

/** Exclusive bound of the absolute value of a `numeric(20,8)`. */
export const AMOUNT_LIMIT = 1e12;

/** `numeric(20,8)`, the column of every amount of the trading tables. */
const AMOUNT_COLUMN: DecimalColumn = Object.freeze({ scale: AMOUNT_SCALE, limit: AMOUNT_LIMIT });

/**
 * Checks an amount and returns it rounded as `numeric(20,8)` stores it (half away from zero on
 * its shortest decimal form), so the in-memory and the Postgres store keep the same number.
 * Refuses a value that is not a finite number, is too large for the column, or breaks `sign`
 * once rounded (a quantity of 1e-9 rounds to 0 and is not positive).
 */
export function checkAmount(field: string, value: unknown, sign: Sign): number {
  return checkDecimal(field, value, sign, AMOUNT_COLUMN);
}

/** The longest status reason accepted (of a strategy or an order). */
export const MAX_REASON_LENGTH = 1_000;

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

/**
 * `{ [key]: value }` when `value` is defined, else `{}`: how optional fields are spread into a
 * record under `exactOptionalPropertyTypes` (absent, never `undefined`).
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
