import { round8 } from "../shared/decimal.js";
import type { OrderSide } from "./order.js";

/**
 * The order grid of one instrument, as its venue publishes it: every limit price a multiple of
 * `tickSize`, every quantity a multiple of `lotSize` within [`minQuantity`, `maxQuantity`].
 */
export interface InstrumentRules {
  /** Price increment, quote currency (> 0, at most 8 decimals). */
  readonly tickSize: number;
  /** Quantity increment, base units (> 0, at most 8 decimals). */
  readonly lotSize: number;
  /** Smallest order quantity, base units (≥ 0). */
  readonly minQuantity: number;
  /** Largest order quantity, base units; 0 means no maximum. */
  readonly maxQuantity: number;
}

/** Port: where the engine learns instruments' rules (the market data feed's symbol list). */
export interface InstrumentRulesSource {
  /** The rules of `instrument`, or `undefined` while they are not known. Never blocks. */
  rulesOf(instrument: string): InstrumentRules | undefined;
}

/**
 * Checks rules a venue published: steps finite, > 0 and on the 8-decimal scale amounts are
 * stored at (a finer step could not be stored), bounds finite and ≥ 0, a maximum of 0 or at
 * least the minimum. Returns them, or `undefined` when they are not usable.
 */
export function usableRules(rules: InstrumentRules): InstrumentRules | undefined {
  const step = (value: number) => Number.isFinite(value) && value > 0 && round8(value) === value;
  const bound = (value: number) => Number.isFinite(value) && value >= 0;
  const ok =
    step(rules.tickSize) &&
    step(rules.lotSize) &&
    bound(rules.minQuantity) &&
    bound(rules.maxQuantity) &&
    (rules.maxQuantity === 0 || rules.maxQuantity >= Math.max(rules.minQuantity, rules.lotSize));
  return ok ? rules : undefined;
}

/** Units of the stores' scale (8 decimals) in one: grid arithmetic is done on whole units. */
const UNITS = 1e8;

/**
 * `value` on the grid of `step` (a step of the 8-decimal scale, see {@link usableRules}),
 * rounded `down` or up. A value already on the grid — within the noise of binary floating
 * point, a few units in the last place — stays where it is; anything further off moves, so
 * rounding down never gives more than `value`, nor rounding up less. Exact for values below
 * 2^53 units (about 9 × 10^7); beyond that, as exact as a double allows.
 */
export function toGrid(value: number, step: number, direction: "down" | "up"): number {
  const units = value * UNITS;
  const nearest = Math.round(units);
  const noise = Math.max(1e-6, Math.abs(units) * 4 * Number.EPSILON);
  const whole =
    Math.abs(units - nearest) <= noise
      ? nearest
      : direction === "down"
        ? Math.floor(units)
        : Math.ceil(units);
  const stepUnits = Math.round(step * UNITS);
  const remainder = ((whole % stepUnits) + stepUnits) % stepUnits;
  const onGrid =
    remainder === 0 ? whole : whole - remainder + (direction === "down" ? 0 : stepUnits);
  return onGrid / UNITS;
}

/**
 * A limit price on the tick, never more aggressive than asked: a buy rounds down, a sell up.
 */
export function limitPriceOnTick(price: number, side: OrderSide, rules: InstrumentRules): number {
  return toGrid(price, rules.tickSize, side === "buy" ? "down" : "up");
}

/** What an order is made of, before the rules are applied. */
export interface OrderTerms {
  readonly side: OrderSide;
  readonly quantity: number;
  readonly limitPrice?: number;
}

/**
 * Puts an order on the instrument's grid: the quantity down to the lot and capped at the
 * maximum, a limit price to the tick (see {@link limitPriceOnTick}). `undefined` when nothing
 * sendable is left — the quantity below the minimum or a lot, the price below a tick. Terms that
 * are not well-formed (a quantity or price not finite and > 0) are returned as they are, for the
 * order to refuse them loudly.
 */
export function conformTerms<T extends OrderTerms>(
  terms: T,
  rules: InstrumentRules,
): T | undefined {
  const wellFormed = (value: number) => Number.isFinite(value) && value > 0;
  if (
    !wellFormed(terms.quantity) ||
    (terms.limitPrice !== undefined && !wellFormed(terms.limitPrice))
  ) {
    return terms;
  }
  const capped =
    rules.maxQuantity > 0 ? Math.min(terms.quantity, rules.maxQuantity) : terms.quantity;
  const quantity = toGrid(capped, rules.lotSize, "down");
  if (!(quantity > 0) || quantity < rules.minQuantity) return undefined;
  if (terms.limitPrice === undefined) return { ...terms, quantity };
  const limitPrice = limitPriceOnTick(terms.limitPrice, terms.side, rules);
  return limitPrice > 0 ? { ...terms, quantity, limitPrice } : undefined;
}

/**
 * Why an order of `quantity` can never be sent under `rules`, or `undefined` when it can: it
 * is below the minimum, rounds down to less than the minimum (or to nothing) on the lot, or is
 * above the maximum. A quantity between lots that rounds down to a tradable one can be sent
 * (as the rounded quantity, see {@link conformTerms}).
 */
export function untradableQuantity(quantity: number, rules: InstrumentRules): string | undefined {
  if (quantity < rules.minQuantity) return `below the minimum order size ${rules.minQuantity}`;
  if (rules.maxQuantity > 0 && quantity > rules.maxQuantity)
    return `above the maximum order size ${rules.maxQuantity}`;
  const rounded = toGrid(quantity, rules.lotSize, "down");
  if (!(rounded > 0)) return `less than one lot of ${rules.lotSize}`;
  if (rounded < rules.minQuantity) {
    return `rounds down to ${rounded} in lots of ${rules.lotSize}, below the minimum order size ${rules.minQuantity}`;
  }
  return undefined;
}

/** The most orders one close is split into; what they cannot hold needs another close. */
export const MAX_CLOSING_ORDERS = 100;

/**
 * Splits closing `quantity` into orders the rules allow: down to the lot, in as few orders as
 * the maximum allows, of near-equal size (lots spread one by one), so the last one is not left
 * below the minimum — at most {@link MAX_CLOSING_ORDERS} of them (then all of the maximum size).
 * Empty when less than the minimum (or a lot) is left: dust that cannot be traded.
 */
export function closingQuantities(quantity: number, rules: InstrumentRules): number[] {
  const total = toGrid(quantity, rules.lotSize, "down");
  if (!(total > 0) || total < rules.minQuantity) return [];
  const maxLots =
    rules.maxQuantity > 0
      ? Math.round(toGrid(rules.maxQuantity, rules.lotSize, "down") / rules.lotSize)
      : Number.POSITIVE_INFINITY;
  const lots = Math.round(total / rules.lotSize);
  if (lots <= maxLots) return [total];
  const orders = Math.ceil(lots / maxLots);
  if (orders > MAX_CLOSING_ORDERS) {
    return new Array<number>(MAX_CLOSING_ORDERS).fill(round8(maxLots * rules.lotSize));
  }
  const base = Math.floor(lots / orders);
  const extra = lots - base * orders;
  return Array.from({ length: orders }, (_, i) =>
    round8((base + (i < extra ? 1 : 0)) * rules.lotSize),
  ).filter((q) => q >= rules.minQuantity);
}
