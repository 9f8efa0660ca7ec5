// Number and time formatting for the page: fixed decimals, thousands separators, UTC times.

/** @type {Map<number, Intl.NumberFormat>} */
const fixedFormats = new Map();

/**
 * `value` with exactly `decimals` decimals and thousands separators (`65,412.30`).
 *
 * @param {number} value
 * @param {number} decimals
 */
export function fixed(value, decimals) {
  let format = fixedFormats.get(decimals);
  if (format === undefined) {
    format = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    fixedFormats.set(decimals, format);
  }
  return format.format(value);
}

/**
 * The decimals a price with this tick size needs (0.01 → 2, 0.5 → 1, 1 → 0).
 *
 * @param {number} tickSize
 */
export function decimalsOf(tickSize) {
  if (!(tickSize > 0)) return 2;
  return Math.min(8, Math.max(0, Math.ceil(-Math.log10(tickSize) - 1e-9)));
}

/**
 * A quantity with at most 4 significant decimals, fewer for large values (`1,234.5`, `0.0123`).
 *
 * @param {number} value
 */
export function quantity(value) {
  const magnitude = Math.abs(value);
  return fixed(value, magnitude >= 1000 ? 1 : magnitude >= 1 ? 3 : 4);
}

/**
 * A signed percentage (`+2.41 %`, `−0.37 %`).
 *
 * @param {number} value in percent
 */
export function signedPercent(value) {
  return `${value > 0 ? "+" : value < 0 ? "−" : ""}${fixed(Math.abs(value), 2)} %`;
}

/**
 * `up`, `down` or `""`: the class that colours a signed value.
 *
 * @param {number} value
 */
export function direction(value) {
  return value > 0 ? "up" : value < 0 ? "down" : "";
}

/**
 * The UTC time of day of epoch milliseconds (`21:53:07`).
 *
 * @param {number} epochMs
 */
export function timeOfDay(epochMs) {
  return new Date(epochMs).toISOString().slice(11, 19);
}

/**
 * A duration in seconds as `1h 02m`, `4m 05s` or `12s`.
 *
 * @param {number} seconds
 */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/**
 * An amount of money with 2 decimals (`1,000,412.30`).
 *
 * @param {number} value
 */
export function money(value) {
  return fixed(value, 2);
}

/**
 * An amount of money with its sign (`+12.30`, `−4.05`, `0.00`), for PnL.
 *
 * @param {number} value
 */
export function signedMoney(value) {
  const rounded = Math.round(value * 100) / 100;
  return `${rounded > 0 ? "+" : rounded < 0 ? "−" : ""}${fixed(Math.abs(rounded), 2)}`;
}

/**
 * A price without a known tick size: 2 decimals from 100 up, 4 from 1 up, 6 below.
 *
 * @param {number} value
 */
export function price(value) {
  const magnitude = Math.abs(value);
  return fixed(value, magnitude >= 100 ? 2 : magnitude >= 1 ? 4 : 6);
}
