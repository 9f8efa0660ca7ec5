/**
 * Resolves one numeric parameter: `fallback` when it is 0 or absent (proto3's unset), otherwise
 * it must be finite and within [min, max] (exclusive bounds where said). Throws a `RangeError`
 * naming the field.
 */
export function resolveNumber(
  field: string,
  value: number | undefined,
  rule: {
    readonly fallback?: number;
    readonly min: number;
    readonly max: number;
    readonly minExclusive?: boolean;
    readonly integer?: boolean;
  },
): number {
  if (value === undefined || value === 0) {
    if (rule.fallback === undefined) throw new RangeError(`${field} is required`);
    return rule.fallback;
  }
  const tooLow = rule.minExclusive ? !(value > rule.min) : !(value >= rule.min);
  if (!Number.isFinite(value) || tooLow || value > rule.max) {
    const open = rule.minExclusive ? "(" : "[";
    throw new RangeError(`${field} must be in ${open}${rule.min}, ${rule.max}] (got ${value})`);
  }
  if (rule.integer && !Number.isInteger(value))
    throw new RangeError(`${field} must be an integer (got ${value})`);
  return value;
}
