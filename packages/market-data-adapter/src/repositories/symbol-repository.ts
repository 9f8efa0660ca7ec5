import { checkBoolean, ValidationError } from "@tse/field-checks";
import type { MarketSymbol, MarketSymbolInput } from "../model/market-symbol.js";

/** Which symbols {@link SymbolRepository.query} returns; absent fields do not filter. */
export interface SymbolQuery {
  /** Only symbols with this base currency (`BTC`). */
  readonly base?: string;
  /** Only symbols with this quote currency (`USD`). */
  readonly quote?: string;
  /** Only active (`true`) or only inactive (`false`) symbols. */
  readonly active?: boolean;
}

/**
 * The tradable pairs (`symbols` table).
 *
 * Contract shared by every implementation (checked by `describeSymbolRepositoryContract`):
 * - Input is validated before anything is written; a bad definition throws a `ValidationError`.
 * - A malformed symbol argument (`btc-usd`) throws a `ValidationError`; symbols are matched exactly.
 * - Results are copies: changing a returned object changes nothing stored.
 */
export interface SymbolRepository {
  /**
   * Creates the symbol, or replaces every field of the existing one with the same `symbol`
   * (keeping its `symbolId` and `createdAt`, setting `updatedAt` to now). Returns what is stored.
   */
  upsert(input: MarketSymbolInput): Promise<MarketSymbol>;

  /** The symbol with this id, or `undefined` (also for a string that is not a UUID). */
  getById(symbolId: string): Promise<MarketSymbol | undefined>;

  /** The symbol named `symbol` (`BTC-USD`), or `undefined`. */
  getBySymbol(symbol: string): Promise<MarketSymbol | undefined>;

  /** The symbols matching every given filter, ordered by `symbol`. */
  query(filter?: SymbolQuery): Promise<MarketSymbol[]>;

  /**
   * Activates or deactivates a symbol (setting `updatedAt` to now). Returns the updated symbol,
   * or `undefined` when there is none of that name.
   */
  setActive(symbol: string, active: boolean): Promise<MarketSymbol | undefined>;

  /** Deletes the symbol; `true` when one was deleted. Its price history is kept. */
  delete(symbol: string): Promise<boolean>;
}

const CURRENCY = /^[A-Z0-9]{2,10}$/;

/**
 * Checks a {@link SymbolQuery}: currencies must be 2-10 of `A-Z0-9`, `active` a boolean. Throws a
 * `ValidationError` otherwise. Implementations call it so they refuse the same queries.
 */
export function checkSymbolQuery(filter: SymbolQuery): void {
  if (typeof filter !== "object" || filter === null) {
    throw new ValidationError("query", "must be an object", filter);
  }
  for (const field of ["base", "quote"] as const) {
    const value = filter[field];
    if (value !== undefined && (typeof value !== "string" || !CURRENCY.test(value))) {
      throw new ValidationError(field, "must be 2-10 of A-Z0-9", value);
    }
  }
  if (filter.active !== undefined) checkBoolean("active", filter.active);
}
