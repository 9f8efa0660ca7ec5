import { randomUUID } from "node:crypto";
import { checkBoolean } from "@tse/field-checks";
import {
  type MarketSymbol,
  type MarketSymbolInput,
  validateMarketSymbolInput,
  validateSymbol,
} from "../model/market-symbol.js";
import {
  checkSymbolQuery,
  type SymbolQuery,
  type SymbolRepository,
} from "../repositories/symbol-repository.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options of {@link MemorySymbolRepository}. */
export interface MemorySymbolRepositoryOptions {
  /** The clock stamping `createdAt` / `updatedAt`; injectable for tests. */
  readonly now?: () => Date;
}

/**
 * A {@link SymbolRepository} in process memory, for tests and for running without Postgres.
 * Behaves like the Postgres one (same contract suite); holds nothing across restarts.
 */
export class MemorySymbolRepository implements SymbolRepository {
  private readonly bySymbol = new Map<string, MarketSymbol>();
  private readonly now: () => Date;

  constructor(options: MemorySymbolRepositoryOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async upsert(input: MarketSymbolInput): Promise<MarketSymbol> {
    const valid = validateMarketSymbolInput(input);
    const now = new Date(this.now().getTime());
    const existing = this.bySymbol.get(valid.symbol);
    const stored: MarketSymbol = {
      ...valid,
      symbolId: existing?.symbolId ?? randomUUID(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.bySymbol.set(stored.symbol, stored);
    return copy(stored);
  }

  async getById(symbolId: string): Promise<MarketSymbol | undefined> {
    if (typeof symbolId !== "string" || !UUID.test(symbolId)) return undefined;
    const id = symbolId.toLowerCase();
    for (const symbol of this.bySymbol.values()) {
      if (symbol.symbolId === id) return copy(symbol);
    }
    return undefined;
  }

  async getBySymbol(symbol: string): Promise<MarketSymbol | undefined> {
    const found = this.bySymbol.get(validateSymbol(symbol));
    return found === undefined ? undefined : copy(found);
  }

  async query(filter: SymbolQuery = {}): Promise<MarketSymbol[]> {
    checkSymbolQuery(filter);
    return [...this.bySymbol.values()]
      .filter(
        (s) =>
          (filter.base === undefined || s.baseCurrency === filter.base) &&
          (filter.quote === undefined || s.quoteCurrency === filter.quote) &&
          (filter.active === undefined || s.isActive === filter.active),
      )
      .sort((a, b) => compareText(a.symbol, b.symbol))
      .map(copy);
  }

  async setActive(symbol: string, active: boolean): Promise<MarketSymbol | undefined> {
    const existing = this.bySymbol.get(validateSymbol(symbol));
    if (existing === undefined) return undefined;
    checkBoolean("active", active);
    const stored = { ...existing, isActive: active, updatedAt: new Date(this.now().getTime()) };
    this.bySymbol.set(symbol, stored);
    return copy(stored);
  }

  async delete(symbol: string): Promise<boolean> {
    return this.bySymbol.delete(validateSymbol(symbol));
  }
}

function copy(symbol: MarketSymbol): MarketSymbol {
  return structuredClone(symbol);
}

/** Code-unit order: the order Postgres gives with `collate "C"` for these ASCII symbols. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
