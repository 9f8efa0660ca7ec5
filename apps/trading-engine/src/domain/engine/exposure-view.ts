import type { OrderSide } from "../orders/order.js";
import type { Portfolio } from "../portfolio/portfolio.js";
import { ExposureLedger, type InstrumentBook } from "../risk/exposure-ledger.js";
import type { ExposureView, StrategyExposure } from "../risk/risk-manager.js";
import type { OrderBook } from "./order-book.js";
import type { StrategyLimits } from "./strategy-lifecycle.js";

/**
 * The engine's books as pre-trade risk sees them ({@link ExposureView}): net positions from the
 * portfolio, open orders from the order book, notional from an {@link ExposureLedger} valuing
 * positions at their marks and open orders at their limit price (the mark for market orders).
 *
 * A snapshot for one check: the ledger is built on first use — it is a pass over every position
 * and open order, which most checks never need — and not rebuilt after.
 */
export class BookExposure implements ExposureView {
  readonly #portfolio: Portfolio;
  readonly #orders: OrderBook;
  readonly #markOf: (instrument: string) => number;
  #ledger: ExposureLedger | undefined;

  /** Views `portfolio` and `orders`; `markOf` prices market orders and missing marks. */
  constructor(portfolio: Portfolio, orders: OrderBook, markOf: (instrument: string) => number) {
    this.#portfolio = portfolio;
    this.#orders = orders;
    this.#markOf = markOf;
  }

  netPosition(instrument: string): number {
    return this.#portfolio.netPosition(instrument);
  }

  totalNotional(): number {
    return this.#valued().total();
  }

  openQuantity(instrument: string, side: OrderSide): number {
    return this.#orders.openQuantity((o) => o.instrument === instrument, side);
  }

  book(strategyId: string | undefined, instrument: string): InstrumentBook {
    return this.#valued().book(strategyId, instrument);
  }

  portfolioValue(): number {
    return this.#portfolio.totalValue();
  }

  /**
   * A strategy's own limits and usage for an order in `instrument` on `side`; its notional is
   * valued only when read.
   */
  strategy(
    strategyId: string,
    limits: StrategyLimits,
    instrument: string,
    side: OrderSide,
  ): StrategyExposure {
    const valued = () => this.#valued();
    return {
      maxPosition: limits.maxPosition,
      maxNotional: limits.maxNotional,
      maxOpenOrders: limits.maxOpenOrders,
      position: this.#portfolio.position(strategyId, instrument).quantity,
      openQuantitySameSide: this.#orders.openQuantity(
        (o) => o.strategyId === strategyId && o.instrument === instrument,
        side,
      ),
      get notional() {
        return valued().strategyTotal(strategyId);
      },
      openOrders: this.#orders.open((o) => o.strategyId === strategyId).length,
    };
  }

  /** Instruments with a position or an open order, sorted. */
  instrumentsInUse(): string[] {
    const set = new Set<string>();
    for (const p of this.#portfolio.positions()) if (p.quantity !== 0) set.add(p.instrument);
    for (const o of this.#orders.open()) set.add(o.instrument);
    return [...set].sort();
  }

  #valued(): ExposureLedger {
    this.#ledger ??= new ExposureLedger(
      this.#portfolio.positions(),
      this.#orders.open().map((o) => {
        const s = o.snapshot();
        return {
          strategyId: s.strategyId,
          instrument: s.instrument,
          side: s.side,
          remaining: o.remaining,
          price: s.limitPrice ?? this.#markOf(s.instrument),
        };
      }),
    );
    return this.#ledger;
  }
}
