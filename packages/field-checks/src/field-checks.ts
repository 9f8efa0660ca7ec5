import { ValidationError } from "./validation-error.js";

/** A JSON value, as stored in a `jsonb` column. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Free-form data attached to a record, stored as a JSON object (`jsonb`). */
export type Metadata = { readonly [key: string]: JsonValue };

/** How a decimal column stores a number: at most `scale` decimals and below `limit` in size. */
export interface DecimalColumn {
  /** Decimal places kept; a value is rounded half away from zero to this many. */
  readonly scale: number;
  /** Exclusive bound of the absolute value (`numeric(24,8)` holds less than 10^16). */
  readonly limit: number;
}

/** `numeric(24,8)`: prices, sizes and volumes. */
export const PRICE_COLUMN: DecimalColumn = Object.freeze({ scale: 8, limit: 1e16 });

/** `numeric(20,4)`: percentages. */
export const PERCENT_COLUMN: DecimalColumn = Object.freeze({ scale: 4, limit: 1e16 });

/** The sign rule a decimal field must satisfy after rounding. */
export type Sign = "positive" | "non-negative" | "any";

/**
 * Checks a decimal field and returns it rounded exactly as Postgres would store it in `column`
 * (half away from zero on its shortest decimal form), so every store keeps the same number.
 *
 * Throws a {@link ValidationError} when the value is not a finite number, is too large for the
 * column, or breaks `sign` once rounded (a price of 1e-9 rounds to 0 and is refused).
 */
export function checkDecimal(
  field: string,
  value: unknown,
  sign: Sign,
  column: DecimalColumn = PRICE_COLUMN,
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ValidationError(field, "must be a finite number", value);
  }
  const rounded = roundDecimal(value, column.scale);
  if (Math.abs(rounded) >= column.limit) {
    throw new ValidationError(field, `must be less than ${column.limit} in absolute value`, value);
  }
  if (sign === "positive" && !(rounded > 0)) {
    throw new ValidationError(
      field,
      `must be greater than 0 (at ${column.scale} decimal places)`,
      value,
    );
  }
  if (sign === "non-negative" && rounded < 0) {
    throw new ValidationError(field, "must not be negative", value);
  }
  // `-0` would print as "0" but compare differently in tests; normalise it.
  return rounded === 0 ? 0 : rounded;
}

/** 10^0 … 10^16 looked up: `10 ** scale` costs several times the rest of the fast path. */
const POWERS_OF_TEN: readonly number[] = Array.from(
  { length: 17 },
  (_, exponent) => 10 ** exponent,
);

/**
 * Rounds `value` half away from zero to `scale` decimals, working on its shortest decimal
 * representation (what `String(value)` prints, which is also what Postgres receives), not on
 * the binary fraction: `roundDecimal(1.000000005, 8)` is `1.00000001`, like Postgres.
 */
export function roundDecimal(value: number, scale: number): number {
  // Fast path (nearly every price), without formatting the number: when some integer N gives
  // back exactly `value` as N / 10^scale, the decimal N·10^-scale round-trips to `value`, so
  // its shortest form has at most `scale` decimals and Postgres stores it unchanged.
  const factor = POWERS_OF_TEN[scale] ?? 10 ** scale;
  const nearest = Math.round(value * factor);
  if (Math.abs(nearest) <= Number.MAX_SAFE_INTEGER && nearest / factor === value) return value;
  return roundDecimalText(value, scale);
}

/** {@link roundDecimal} on the decimal text; apart, so the fast path is small enough to inline. */
function roundDecimalText(value: number, scale: number): number {
  const text = String(Math.abs(value));
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (match === null) return value;
  const digits = `${match[1] ?? ""}${match[2] ?? ""}`;
  // Position of the decimal point within `digits`.
  const digitsBeforePoint = (match[1] ?? "").length + Number(match[3] ?? "0");
  const keep = digitsBeforePoint + scale;
  if (keep >= digits.length) return value;
  if (keep < 0) return 0;
  let kept = BigInt(digits.slice(0, keep) || "0");
  if ((digits.charCodeAt(keep) ?? 48) >= 53) kept += 1n;
  const rounded = Number(`${kept}e-${scale}`);
  return value < 0 ? -rounded : rounded;
}

/** Checks an integer field (`num_trades`, limits, offsets). */
export function checkInteger(field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new ValidationError(field, "must be a safe integer", value);
  }
  if (value < min) throw new ValidationError(field, `must be at least ${min}`, value);
  return value;
}

/** Checks a timestamp field: a `Date` that holds a real time. Returns a copy. */
export function checkDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(field, "must be a valid Date", value);
  }
  return new Date(value.getTime());
}

/** Checks a non-empty string of at most `maxLength` characters, without NUL (Postgres refuses it). */
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

/**
 * Checks a UUID and returns it in lower case, the form Postgres prints, so ids compare the same
 * in every store.
 */
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

/** Checks that `value` is an object (a record to validate); `what` names it in the error. */
export function checkObject(what: string, value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(what, "must be an object", value);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** The metadata of records given none: one frozen `{}` shared by all of them. */
const NO_METADATA: Metadata = Object.freeze({});

/**
 * Checks metadata: a plain JSON object (absent means `{}`, a frozen one shared by every record
 * given none). Returns a deep copy, so a caller mutating its object later cannot change what a
 * store holds.
 */
export function checkMetadata(field: string, value: unknown): Metadata {
  if (value === undefined) return NO_METADATA;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(field, "must be a JSON object", value);
  }
  return copyJson(field, value, 0) as Metadata;
}

function copyJson(field: string, value: unknown, depth: number): JsonValue {
  // Postgres rejects jsonb nested deeper than this anyway; refuse early with a clear message.
  if (depth > 32) throw new ValidationError(field, "must not nest deeper than 32 levels", value);
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") {
    // jsonb cannot hold \u0000.
    if (value.includes("\0")) throw new ValidationError(field, "must not contain NUL", value);
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new ValidationError(field, "must hold only finite numbers", value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => copyJson(field, item, depth + 1));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\0")) throw new ValidationError(field, "must not contain NUL", key);
      if (item !== undefined) copy[key] = copyJson(field, item, depth + 1);
    }
    return copy;
  }
  throw new ValidationError(field, "must hold only JSON values", value);
}

/**
 * Validates every item of a batch with `validate`, before anything is written: the first bad
 * item throws a {@link ValidationError} whose field names its position (`<name>[i].field`).
 */
export function validateBatch<I, T>(
  name: string,
  items: readonly I[],
  validate: (item: I) => T,
): T[] {
  return validateItems(name, items, validate as (item: unknown) => T, false);
}

/**
 * {@link validateBatch} for a batch decoded from untrusted input: `items` may be anything (not
 * an array throws naming `name`), and an item that is not a plain object (`null`, an array, a
 * primitive) throws a {@link ValidationError} naming its position (`<name>[i]`, "must be an
 * object") before `validate` sees it.
 */
export function validateObjectBatch<T>(
  name: string,
  items: unknown,
  validate: (item: unknown) => T,
): T[] {
  return validateItems(name, items, validate, true);
}

function validateItems<T>(
  name: string,
  items: unknown,
  validate: (item: unknown) => T,
  objectsOnly: boolean,
): T[] {
  if (!Array.isArray(items)) throw new ValidationError(name, "must be an array", items);
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (objectsOnly && (typeof item !== "object" || item === null || Array.isArray(item))) {
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

/** Checks an optional time bound of a query (`from`, `to`). */
export function checkOptionalDate(field: string, value: unknown): Date | undefined {
  return value === undefined ? undefined : checkDate(field, value);
}

/** A validated page of a query: `limit` `undefined` means all rows. */
export interface Page {
  readonly limit: number | undefined;
  readonly offset: number;
}

/** Checks `limit` and `offset` of a query: absent, or integers ≥ 0. */
export function checkPage(limit: unknown, offset: unknown): Page {
  return {
    limit: limit === undefined ? undefined : checkInteger("limit", limit, 0),
    offset: offset === undefined ? 0 : checkInteger("offset", offset, 0),
  };
}

/** Checks the sort direction of a query; `fallback` when absent. */
export function checkOrder(value: unknown, fallback: "asc" | "desc"): "asc" | "desc" {
  if (value === undefined) return fallback;
  if (value !== "asc" && value !== "desc") {
    throw new ValidationError("order", "must be 'asc' or 'desc'", value);
  }
  return value;
}

/** Checks a boolean field. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ValidationError(field, "must be a boolean", value);
  return value;
}
