import {
  checkDecimal,
  checkMetadata,
  checkText,
  type Metadata,
  ValidationError,
  validateSymbol,
} from "@tse/field-checks";

export { SYMBOL_PATTERN, validateSymbol } from "@tse/field-checks";

/** A tradable pair as stored in `symbols`. */
export interface MarketSymbol {
  /** The store-assigned id (uuid, lower case); stable across upserts of the same symbol. */
  readonly symbolId: string;
  /** `BTC-USD`; unique. */
  readonly symbol: string;
  /** The part before `-` (`BTC`). */
  readonly baseCurrency: string;
  /** The part after `-` (`USD`). */
  readonly quoteCurrency: string;
  readonly displayName: string;
  /** Inactive symbols stay stored but are not simulated or traded. */
  readonly isActive: boolean;
  /** Tick size, > 0. */
  readonly minPriceMovement: number;
  /** > 0. */
  readonly minOrderSize: number;
  /** ≥ `minOrderSize`. */
  readonly maxOrderSize: number;
  /** When the symbol was first stored; kept by later upserts. */
  readonly createdAt: Date;
  /** When the symbol was last written. */
  readonly updatedAt: Date;
  readonly metadata: Metadata;
}

/** What a caller gives to create or replace a symbol (everything the store does not assign). */
export interface MarketSymbolInput {
  readonly symbol: string;
  /** Defaults to the part of `symbol` before `-`; when given it must equal it. */
  readonly baseCurrency?: string;
  /** Defaults to the part of `symbol` after `-`; when given it must equal it. */
  readonly quoteCurrency?: string;
  /** Defaults to `BASE/QUOTE`. */
  readonly displayName?: string;
  /** Defaults to `true`. */
  readonly isActive?: boolean;
  readonly minPriceMovement: number;
  readonly minOrderSize: number;
  readonly maxOrderSize: number;
  /** Defaults to `{}`. */
  readonly metadata?: Metadata;
}

/** A validated {@link MarketSymbolInput} with every default applied. */
export type ValidMarketSymbolInput = Omit<MarketSymbol, "symbolId" | "createdAt" | "updatedAt">;

/**
 * Validates a symbol definition and applies its defaults.
 *
 * Contract: throws a `ValidationError` for a symbol not matching {@link SYMBOL_PATTERN}, base or
 * quote currencies that disagree with the symbol, a display name that is empty or longer than
 * 100 characters, a non-boolean `isActive`, a tick size or minimum order size that is not a
 * finite number > 0, a maximum order size below the minimum, or metadata that is not a JSON
 * object. Decimals are rounded to 8 places, as `numeric(24,8)` stores them.
 */
export function validateMarketSymbolInput(input: MarketSymbolInput): ValidMarketSymbolInput {
  if (typeof input !== "object" || input === null) {
    throw new ValidationError("symbol", "definition must be an object", input);
  }
  const symbol = validateSymbol(input.symbol);
  const [base = "", quote = ""] = symbol.split("-");
  const baseCurrency = input.baseCurrency ?? base;
  const quoteCurrency = input.quoteCurrency ?? quote;
  if (baseCurrency !== base) {
    throw new ValidationError(
      "baseCurrency",
      `must be ${base}, the base of ${symbol}`,
      baseCurrency,
    );
  }
  if (quoteCurrency !== quote) {
    throw new ValidationError(
      "quoteCurrency",
      `must be ${quote}, the quote of ${symbol}`,
      quoteCurrency,
    );
  }
  const displayName = checkText("displayName", input.displayName ?? `${base}/${quote}`, 100);
  const isActive = input.isActive ?? true;
  if (typeof isActive !== "boolean")
    throw new ValidationError("isActive", "must be a boolean", isActive);
  const minPriceMovement = checkDecimal("minPriceMovement", input.minPriceMovement, "positive");
  const minOrderSize = checkDecimal("minOrderSize", input.minOrderSize, "positive");
  const maxOrderSize = checkDecimal("maxOrderSize", input.maxOrderSize, "positive");
  if (maxOrderSize < minOrderSize) {
    throw new ValidationError(
      "maxOrderSize",
      `must be at least minOrderSize (${minOrderSize})`,
      input.maxOrderSize,
    );
  }
  return {
    symbol,
    baseCurrency,
    quoteCurrency,
    displayName,
    isActive,
    minPriceMovement,
    minOrderSize,
    maxOrderSize,
    metadata: checkMetadata("metadata", input.metadata),
  };
}
