import { limitPriceOnTick } from "../orders/instrument-rules.js";
import type { OrderSide } from "../orders/order.js";
import { round8 } from "../shared/decimal.js";
import { midOf } from "../shared/market-quote.js";
import { resolveNumber } from "./parameter-rules.js";
import {
  NO_DECISION,
  type OrderIntent,
  type StrategyDecision,
  type StrategyView,
  type TradingStrategy,
} from "./trading-strategy.js";

/** Market-making parameters as requested (0 or absent means the default). */
export interface MarketMakingInput {
  readonly spreadBps?: number;
  readonly orderQuantity?: number;
  readonly levels?: number;
  readonly levelSpacingBps?: number;
  readonly inventorySkew?: number;
  readonly volatilityMultiplier?: number;
  readonly refreshIntervalMs?: number;
}

/** Market-making parameters with defaults resolved. */
export interface MarketMakingParameters {
  readonly spreadBps: number;
  readonly orderQuantity: number;
  readonly levels: number;
  readonly levelSpacingBps: number;
  readonly inventorySkew: number;
  readonly volatilityMultiplier: number;
  readonly refreshIntervalMs: number;
}

/**
 * Validates and completes market-making parameters (the rules of `trading.v1`): spread in
 * (0, 10000] bps (10), quantity ≥ 1e-8 (required), levels in [1, 10] (1), spacing in [0, 10000] bps
 * (half the spread), skew in [0, 1], volatility multiplier in [0, 100], refresh in
 * [1, 3600000] ms (1000). Throws a `RangeError` naming the field.
 */
export function resolveMarketMakingParameters(input: MarketMakingInput): MarketMakingParameters {
  const spreadBps = resolveNumber("spread_bps", input.spreadBps, {
    fallback: 10,
    min: 0,
    max: 10_000,
    minExclusive: true,
  });
  return {
    spreadBps,
    orderQuantity: resolveNumber("order_quantity", input.orderQuantity, { min: 1e-8, max: 1e9 }),
    levels: resolveNumber("levels", input.levels, { fallback: 1, min: 1, max: 10, integer: true }),
    levelSpacingBps: resolveNumber("level_spacing_bps", input.levelSpacingBps, {
      fallback: spreadBps / 2,
      min: 0,
      max: 10_000,
    }),
    inventorySkew: resolveNumber("inventory_skew", input.inventorySkew, {
      fallback: 0,
      min: 0,
      max: 1,
    }),
    volatilityMultiplier: resolveNumber("volatility_multiplier", input.volatilityMultiplier, {
      fallback: 0,
      min: 0,
      max: 100,
    }),
    refreshIntervalMs: resolveNumber("refresh_interval_ms", input.refreshIntervalMs, {
      fallback: 1_000,
      min: 1,
      max: 3_600_000,
      integer: true,
    }),
  };
}

interface InstrumentState {
  lastMid: number;
  lastAt: number;
  /** EWMA of squared log returns per ms. */
  variancePerMs: number;
  lastRefresh: number;
}

/** Weight of the newest return in the volatility estimate. */
const VOLATILITY_DECAY = 0.05;

/**
 * Market making (docs/architecture.md#how-the-engine-trades): `levels` bids and asks around the
 * mid. The quoted spread is the larger of `spreadBps` and `volatilityMultiplier` × the mid's recent
 * volatility over one quote lifetime (an EWMA of squared log returns); quotes shift against the
 * inventory by `inventorySkew` × half the spread at the position limit (down when long, up when
 * short), and a side stops quoting at the limit. Prices go on the instrument's tick (bids down,
 * asks up) when the view has its rules. Every `refreshIntervalMs` it keeps working orders that are
 * still within a quarter of the half-spread of a wanted level and replaces the rest.
 */
export class MarketMakingStrategy implements TradingStrategy {
  readonly type = "market_making" as const;
  readonly parameters: MarketMakingParameters;
  readonly #state = new Map<string, InstrumentState>();

  constructor(input: MarketMakingInput) {
    this.parameters = resolveMarketMakingParameters(input);
  }

  onQuote(view: StrategyView): StrategyDecision {
    const { quote, now } = view;
    const mid = midOf(quote);
    if (!(mid > 0)) return NO_DECISION;
    const state = this.#observe(quote.instrument, mid, now);
    const p = this.parameters;
    if (now - state.lastRefresh < p.refreshIntervalMs && view.openOrders.length > 0)
      return NO_DECISION;
    state.lastRefresh = now;

    const volatilityBps = Math.sqrt(state.variancePerMs * p.refreshIntervalMs) * 10_000;
    const spreadBps = Math.max(p.spreadBps, p.volatilityMultiplier * volatilityBps);
    const half = spreadBps / 2;
    const inventory =
      view.maxPosition > 0 ? Math.max(-1, Math.min(1, view.position / view.maxPosition)) : 0;
    const shift = p.inventorySkew * inventory * half;
    // On the tick when the rules are known, so that a working order at a wanted price matches.
    const priced = (side: OrderSide, price: number) =>
      view.rules === undefined ? round8(price) : limitPriceOnTick(price, side, view.rules);
    const wanted: OrderIntent[] = [];
    for (let level = 0; level < p.levels; level++) {
      const offset = level * p.levelSpacingBps;
      const canBuy = view.maxPosition <= 0 || view.position < view.maxPosition;
      const canSell = view.maxPosition <= 0 || view.position > -view.maxPosition;
      // A level that would price at or below zero (a very wide spread) is not quoted.
      if (canBuy && half + shift + offset < 10_000) {
        wanted.push({
          side: "buy",
          type: "limit",
          quantity: p.orderQuantity,
          limitPrice: priced("buy", mid * (1 - (half + shift + offset) / 10_000)),
        });
      }
      if (canSell) {
        wanted.push({
          side: "sell",
          type: "limit",
          quantity: p.orderQuantity,
          limitPrice: priced("sell", mid * (1 + (half - shift + offset) / 10_000)),
        });
      }
    }
    const tolerance = (mid * half) / 10_000 / 4;
    const kept = new Set<string>();
    const place = wanted.filter((intent) => {
      const match = view.openOrders.find(
        (order) =>
          !kept.has(order.id) &&
          order.side === intent.side &&
          order.limitPrice !== undefined &&
          Math.abs(order.limitPrice - (intent.limitPrice ?? 0)) <= tolerance,
      );
      if (match === undefined) return true;
      kept.add(match.id);
      return false;
    });
    return { cancel: view.openOrders.filter((o) => !kept.has(o.id)).map((o) => o.id), place };
  }

  #observe(instrument: string, mid: number, now: number): InstrumentState {
    const state = this.#state.get(instrument);
    if (state === undefined) {
      const fresh = {
        lastMid: mid,
        lastAt: now,
        variancePerMs: 0,
        lastRefresh: Number.NEGATIVE_INFINITY,
      };
      this.#state.set(instrument, fresh);
      return fresh;
    }
    const dt = now - state.lastAt;
    if (dt > 0) {
      const r = Math.log(mid / state.lastMid);
      state.variancePerMs =
        (1 - VOLATILITY_DECAY) * state.variancePerMs + VOLATILITY_DECAY * ((r * r) / dt);
      state.lastMid = mid;
      state.lastAt = now;
    }
    return state;
  }
}
