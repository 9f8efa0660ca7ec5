/**
 * Rounds to 8 decimal places, the scale of every stored amount (numeric(20,8)). Amounts are
 * rounded after each arithmetic step, so what the engine holds is exactly what it stores and a
 * restart from the database continues the same books.
 */
export function round8(value: number): number {
  const rounded = Math.round(value * 1e8) / 1e8;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Quantities closer than this are equal (half the last stored decimal). */
export const QUANTITY_EPSILON = 5e-9;

/** Whether `value` is a finite number > 0. */
export function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
