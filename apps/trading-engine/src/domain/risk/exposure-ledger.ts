import type { OrderSide } from "../orders/order.js";
import { positionKey } from "../portfolio/position.js";
import { QUANTITY_EPSILON, round8 } from "../shared/decimal.js";

/** One strategy's book in one instrument, valued in quote currency. */
export interface InstrumentBook {
  /** Signed position × mark (> 0 long, < 0 short). */
  readonly positionValue: number;
  /** Σ remaining × price of the open buy orders. */
  readonly openBuyValue: number;
  /** Σ remaining × price of the open sell orders. */
  readonly openSellValue: number;
}

/** A book with nothing in it. */
export const EMPTY_BOOK: InstrumentBook = Object.freeze({
  positionValue: 0,
  openBuyValue: 0,
  openSellValue: 0,
});

/**
 * The exposure a book can reach: the larger of |position + every open buy| and
 * |position − every open sell|, in quote currency. Open orders on the side that reduces the
 * position only count past the point where they would flip it, and the two sides are never
 * added up, as they cannot both fill into a larger position.
 */
export function worstCaseExposure(book: InstrumentBook): number {
  return Math.max(
    Math.abs(book.positionValue + book.openBuyValue),
    Math.abs(book.positionValue - book.openSellValue),
  );
}

/**
 * How much an order worth `value` on `side` adds to the book's {@link worstCaseExposure}
 * (never negative): 0 for an order that only reduces the position once every open order on
 * its side is counted, the part past flat for one that reduces and then reverses it.
 */
export function exposureAdded(book: InstrumentBook, side: OrderSide, value: number): number {
  const after: InstrumentBook =
    side === "buy"
      ? { ...book, openBuyValue: book.openBuyValue + value }
      : { ...book, openSellValue: book.openSellValue + value };
  return Math.max(0, worstCaseExposure(after) - worstCaseExposure(book));
}

/**
 * Whether a position limit of `limit` (> 0) refuses an order of signed `quantity`: the net
 * position once every open order on the order's side (`openSameSide`, ≥ 0) and the order
 * filled. The order passes when that lands within the limit, or when it lies between flat and
 * where the open orders already take the position (the order only reduces); an order that
 * reduces and then reverses the position past the limit is refused.
 */
export function breaksPositionLimit(
  position: number,
  openSameSide: number,
  quantity: number,
  limit: number,
): { readonly breaks: boolean; readonly projected: number } {
  const before = position + Math.sign(quantity) * openSameSide;
  const after = before + quantity;
  const reduces = Math.sign(after) !== -Math.sign(before) && Math.abs(after) <= Math.abs(before);
  return {
    breaks: Math.abs(after) > limit + QUANTITY_EPSILON && !reduces,
    projected: round8(after),
  };
}

/** A position as the ledger needs it. */
export interface LedgerPosition {
  readonly strategyId: string;
  readonly instrument: string;
  readonly quantity: number;
  readonly markPrice: number;
}

/** An open order as the ledger needs it: its remaining quantity and the price it is valued at. */
export interface LedgerOrder {
  readonly strategyId: string | undefined;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly remaining: number;
  readonly price: number;
}

/**
 * The engine's books per strategy and instrument, valued: positions at their mark, open orders
 * at their limit price (the mark for market orders). Total notional is the sum of every book's
 * {@link worstCaseExposure} — gross across strategies, as each strategy's position is its own.
 * A snapshot: build one per check.
 */
export class ExposureLedger {
  readonly #books = new Map<string, { strategyId: string; book: InstrumentBook }>();

  constructor(positions: Iterable<LedgerPosition>, orders: Iterable<LedgerOrder>) {
    for (const p of positions) {
      if (Math.abs(p.quantity) <= QUANTITY_EPSILON) continue;
      this.#add(p.strategyId, p.instrument, { positionValue: p.quantity * p.markPrice });
    }
    for (const o of orders) {
      const value = o.remaining * o.price;
      this.#add(
        o.strategyId ?? "",
        o.instrument,
        o.side === "buy" ? { openBuyValue: value } : { openSellValue: value },
      );
    }
  }

  /** The book of `strategyId` in `instrument` (empty when it has none). */
  book(strategyId: string | undefined, instrument: string): InstrumentBook {
    return this.#books.get(positionKey(strategyId, instrument))?.book ?? EMPTY_BOOK;
  }

  /** Σ worst-case exposure over every book, quote currency. */
  total(): number {
    let total = 0;
    for (const { book } of this.#books.values()) total += worstCaseExposure(book);
    return round8(total);
  }

  /** Σ worst-case exposure over the books of one strategy, quote currency. */
  strategyTotal(strategyId: string): number {
    let total = 0;
    for (const entry of this.#books.values())
      if (entry.strategyId === strategyId) total += worstCaseExposure(entry.book);
    return round8(total);
  }

  #add(strategyId: string, instrument: string, part: Partial<InstrumentBook>): void {
    const key = positionKey(strategyId, instrument);
    const entry = this.#books.get(key) ?? { strategyId, book: EMPTY_BOOK };
    entry.book = {
      positionValue: entry.book.positionValue + (part.positionValue ?? 0),
      openBuyValue: entry.book.openBuyValue + (part.openBuyValue ?? 0),
      openSellValue: entry.book.openSellValue + (part.openSellValue ?? 0),
    };
    this.#books.set(key, entry);
  }
}
