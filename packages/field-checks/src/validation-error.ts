/**
 * A value that was refused before it reached any store: an invalid symbol, a non-positive or
 * non-finite price, a candle whose high is below its low, an unknown interval, …
 *
 * Contract:
 * - `field` names the offending field, with the batch position when the value came from a batch
 *   (`candles[41].high`), so a caller can point at the exact row.
 * - `reason` says what rule was broken, in words (`must be greater than 0`).
 * - `message` is `<field> <reason>` plus the offending value, so logs are useful on their own.
 * - Repositories throw it before they write anything: a batch with one bad row writes nothing.
 */
export class ValidationError extends Error {
  override readonly name: string = "ValidationError";

  /** The field that broke a rule, e.g. `symbol` or `candles[3].low`. */
  readonly field: string;

  /** The rule that was broken, e.g. `must be greater than 0`. */
  readonly reason: string;

  /** The refused value, as given (kept for diagnostics, never written anywhere). */
  readonly value: unknown;

  constructor(field: string, reason: string, value?: unknown) {
    super(`${field} ${reason} (got ${describeValue(value)})`);
    this.field = field;
    this.reason = reason;
    this.value = value;
  }

  /**
   * The same error with `prefix` put in front of its field (`candles[3]` + `low` →
   * `candles[3].low`); batch validation uses it to say which row failed.
   */
  withFieldPrefix(prefix: string): ValidationError {
    const error = new ValidationError(`${prefix}.${this.field}`, this.reason, this.value);
    return error;
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "string")
    return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  return typeof value;
}
