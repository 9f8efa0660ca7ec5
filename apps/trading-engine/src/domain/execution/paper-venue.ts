import { type InstrumentRulesSource, toGrid } from "../orders/instrument-rules.js";
import type { Fill, Liquidity, OrderSnapshot } from "../orders/order.js";
import { QUANTITY_EPSILON, round8 } from "../shared/decimal.js";
import type { MarketQuote } from "../shared/market-quote.js";
import type { ExecutionVenue, VenueEvent } from "./execution-venue.js";

/** Costs of the paper venue, in basis points. */
export interface PaperVenueCosts {
  /** Fee of a fill that took liquidity (market orders, limit orders crossing on arrival). */
  readonly takerFeeBps: number;
  /** Fee of a resting limit order's fill. */
  readonly makerFeeBps: number;
  /** Price concession of a taker fill: buys pay the ask × (1 + s), sells get the bid × (1 − s). */
  readonly slippageBps: number;
}

interface WorkingOrder {
  readonly order: OrderSnapshot;
  remaining: number;
  /** Whether the order has rested (so its fills are maker fills). */
  resting: boolean;
}

/**
 * A simulated exchange that fills against the live quote
 * (docs/architecture.md#how-the-engine-trades): market orders at the touch with slippage and the
 * taker fee; limit orders that cross on arrival at the touch (taker), otherwise resting until a
 * quote crosses them, then at their limit price (maker). Every fill is capped by the size quoted on
 * the other side, which working orders of one side share in price then time priority — new orders
 * after the resting ones, until the next quote — so a large order fills partially over several
 * quotes. A limit order never fills worse than its limit. An order submitted without a quote (none
 * fresh enough, see {@link ExecutionVenue.submit}) is accepted and rests, a market order included,
 * until the next quote of its instrument. Every fill is stamped with the `now` of the call that
 * made it. With the instruments' rules, fills are on their grid like real ones: quantities in whole
 * lots of the quoted size, taker prices (slippage included) on the tick, rounded against the taker.
 * Fees are rounded to 8 decimals. Pure: ids come from `nextFillId`, time from the caller.
 */
export class PaperVenue implements ExecutionVenue {
  readonly #costs: PaperVenueCosts;
  readonly #nextFillId: () => string;
  readonly #rules: InstrumentRulesSource | undefined;
  readonly #working = new Map<string, WorkingOrder>();
  /** Size still available at the touch of each instrument's current quote, shared by all orders. */
  readonly #available = new Map<string, { quote: MarketQuote; buy: number; sell: number }>();

  constructor(costs: PaperVenueCosts, nextFillId: () => string, rules?: InstrumentRulesSource) {
    for (const [name, value] of Object.entries(costs)) {
      if (!(Number.isFinite(value) && value >= 0 && value <= 10_000)) {
        throw new RangeError(`${name} must be in [0, 10000] bps (got ${value})`);
      }
    }
    this.#costs = costs;
    this.#nextFillId = nextFillId;
    this.#rules = rules;
  }

  /** Orders working at the venue now. */
  get workingCount(): number {
    return this.#working.size;
  }

  submit(order: OrderSnapshot, quote: MarketQuote | undefined, now: number): VenueEvent[] {
    if (quote !== undefined && quote.instrument !== order.instrument) {
      return [
        {
          type: "rejected",
          orderId: order.id,
          reason: `a ${quote.instrument} quote was given for a ${order.instrument} order`,
        },
      ];
    }
    const working: WorkingOrder = {
      order,
      remaining: round8(order.quantity - order.filledQuantity),
      resting: false,
    };
    this.#working.set(order.id, working);
    const events: VenueEvent[] = [{ type: "accepted", orderId: order.id }];
    if (quote !== undefined)
      events.push(...this.#match(working, quote, this.#availableAt(quote), now));
    working.resting = true;
    return events;
  }

  cancel(orderId: string): boolean {
    return this.#working.delete(orderId);
  }

  onQuote(quote: MarketQuote, now: number): VenueEvent[] {
    const candidates = [...this.#working.values()]
      .filter((w) => w.order.instrument === quote.instrument)
      .sort(priority);
    this.#available.delete(quote.instrument);
    const available = this.#availableAt(quote);
    return candidates.flatMap((working) => this.#match(working, quote, available, now));
  }

  /** The sizes left at `quote`'s touch: the quoted sizes for a new quote, what is left otherwise. */
  #availableAt(quote: MarketQuote): { buy: number; sell: number } {
    const known = this.#available.get(quote.instrument);
    if (known !== undefined && known.quote === quote) return known;
    const fresh = { quote, buy: quote.askSize, sell: quote.bidSize };
    this.#available.set(quote.instrument, fresh);
    return fresh;
  }

  restore(orders: readonly OrderSnapshot[]): void {
    for (const order of orders) {
      this.#working.set(order.id, {
        order,
        remaining: round8(order.quantity - order.filledQuantity),
        resting: true,
      });
    }
  }

  #match(
    working: WorkingOrder,
    quote: MarketQuote,
    available: { buy: number; sell: number },
    now: number,
  ): VenueEvent[] {
    const { order } = working;
    const buy = order.side === "buy";
    const touch = buy ? quote.ask : quote.bid;
    const crosses =
      order.type === "market" ||
      (buy ? touch <= (order.limitPrice ?? 0) : touch >= (order.limitPrice ?? Infinity));
    const size = available[order.side];
    if (!crosses || !(size > QUANTITY_EPSILON) || !(touch > 0)) return [];
    const rules = this.#rules?.rulesOf(order.instrument);
    const lots = rules === undefined ? size : toGrid(size, rules.lotSize, "down");
    const quantity = round8(Math.min(working.remaining, lots));
    if (quantity <= 0) return [];
    const maker = working.resting && order.type === "limit";
    const liquidity: Liquidity = maker ? "maker" : "taker";
    const slip = maker ? 0 : this.#costs.slippageBps / 10_000;
    const raw = buy ? touch * (1 + slip) : touch * (1 - slip);
    const slipped =
      rules === undefined ? round8(raw) : toGrid(raw, rules.tickSize, buy ? "up" : "down");
    // A limit order never fills worse than its limit, slippage or not.
    const limit = order.limitPrice;
    const price = maker
      ? (limit as number)
      : limit === undefined
        ? slipped
        : buy
          ? Math.min(limit, slipped)
          : Math.max(limit, slipped);
    const feeBps = maker ? this.#costs.makerFeeBps : this.#costs.takerFeeBps;
    const fill: Fill = {
      id: this.#nextFillId(),
      orderId: order.id,
      strategyId: order.strategyId,
      instrument: order.instrument,
      side: order.side,
      price,
      quantity,
      fee: round8((price * quantity * feeBps) / 10_000),
      liquidity,
      timestamp: now,
    };
    available[order.side] = round8(size - quantity);
    working.remaining = round8(working.remaining - quantity);
    if (working.remaining <= QUANTITY_EPSILON) this.#working.delete(order.id);
    return [{ type: "fill", fill }];
  }
}

/** Best price first (highest bid, lowest offer; market orders before all), then oldest. */
function priority(a: WorkingOrder, b: WorkingOrder): number {
  const price = (w: WorkingOrder) =>
    w.order.type === "market"
      ? Number.POSITIVE_INFINITY
      : w.order.side === "buy"
        ? (w.order.limitPrice ?? 0)
        : -(w.order.limitPrice ?? 0);
  return price(b) - price(a) || a.order.createdAt - b.order.createdAt;
}
