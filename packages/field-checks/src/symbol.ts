import { ValidationError } from "./validation-error.js";

/**
 * A trading pair symbol: two upper-case alphanumeric codes of 2-10 characters joined by `-`
 * (`BTC-USD`, `ETH-USDT`).
 */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$/;

/**
 * Checks a symbol against {@link SYMBOL_PATTERN} and returns it; throws a `ValidationError`
 * naming `field` otherwise. Symbols are not upper-cased for the caller: `btc-usd` is refused,
 * so one pair can never be stored under two spellings.
 */
export function validateSymbol(value: unknown, field = "symbol"): string {
  if (typeof value !== "string" || !SYMBOL_PATTERN.test(value)) {
    throw new ValidationError(
      field,
      "must look like BTC-USD (2-10 of A-Z0-9, '-', 2-10 of A-Z0-9)",
      value,
    );
  }
  return value;
}
