import { ValidationError } from "@tse/field-checks";
import { SYMBOL_PATTERN } from "./market-symbol.js";

/**
 * The top of book of one symbol at one moment, as the simulator publishes it
 * (docs/protocols.md#legacy-and-v1, docs/architecture.md#market-simulation): last trade, best
 * bid/ask with sizes, the rolling 24h statistics and a per-symbol sequence.
 *
 * Instances that passed {@link validateQuote} satisfy: every number finite; `last`, `bid`, `ask`,
 * `high24h`, `low24h` > 0; `bid < ask`; `low24h <= high24h`; sizes and `volume24h` >= 0;
 * `sequence` a non-negative safe integer; `timestamp` a valid `Date`.
 */
export interface Quote {
  /** `BASE-QUOTE`, e.g. `BTC-USD`; see {@link SYMBOL_PATTERN}. */
  readonly symbol: string;
  /** Last trade price. */
  readonly last: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly volume24h: number;
  /** Absolute change over the last 24h (may be negative). */
  readonly change24h: number;
  /** Change over the last 24h in percent (may be negative). */
  readonly changePercent24h: number;
  readonly high24h: number;
  readonly low24h: number;
  /** Increases by one per update of this symbol; consumers use it to detect gaps. */
  readonly sequence: number;
  readonly timestamp: Date;
}

/**
 * Thrown when a quote (or a symbol) breaks a rule; a {@link ValidationError}, so callers map
 * every refused value the same way. `field` names the offending field of
 * {@link Quote} (or `symbol`), `reason` says which rule, `value` is what was given. The message
 * is `invalid quote <field>: <reason> (got <value>)`.
 */
export class QuoteValidationError extends ValidationError {
  override readonly name: string = "QuoteValidationError";

  constructor(field: string, reason: string, value: unknown) {
    super(field, reason, value);
    this.message = `invalid quote ${field}: ${reason} (got ${describe(value)})`;
  }
}

/**
 * Throws a {@link QuoteValidationError} for field `symbol` unless `symbol` is a string matching
 * {@link SYMBOL_PATTERN}. Every store validates symbols with it before building a key.
 */
export function assertSymbol(symbol: unknown): asserts symbol is string {
  if (typeof symbol !== "string" || !SYMBOL_PATTERN.test(symbol)) {
    throw new QuoteValidationError("symbol", `must match ${SYMBOL_PATTERN.source}`, symbol);
  }
}

const POSITIVE_PRICES = ["last", "bid", "ask", "high24h", "low24h"] as const;
const NON_NEGATIVE = ["bidSize", "askSize", "volume24h"] as const;
const SIGNED = ["change24h", "changePercent24h"] as const;

/**
 * Checks every rule of {@link Quote} and returns the quote unchanged when it passes.
 *
 * Contract: the first broken rule throws a {@link QuoteValidationError} naming the field. Rules
 * are checked field by field in this order: symbol; positive prices (`last`, `bid`, `ask`,
 * `high24h`, `low24h`); non-negative sizes (`bidSize`, `askSize`, `volume24h`); finite changes;
 * `sequence`; `timestamp`; then the cross-field rules `bid < ask` (reported on `ask`) and
 * `low24h <= high24h` (reported on `low24h`). Never mutates its argument.
 */
export function validateQuote(quote: Quote): Quote {
  assertSymbol(quote.symbol);
  for (const field of POSITIVE_PRICES) {
    const value = quote[field];
    if (!isFiniteNumber(value) || value <= 0) {
      throw new QuoteValidationError(field, "must be a finite number > 0", value);
    }
  }
  for (const field of NON_NEGATIVE) {
    const value = quote[field];
    if (!isFiniteNumber(value) || value < 0) {
      throw new QuoteValidationError(field, "must be a finite number >= 0", value);
    }
  }
  for (const field of SIGNED) {
    if (!isFiniteNumber(quote[field])) {
      throw new QuoteValidationError(field, "must be a finite number", quote[field]);
    }
  }
  if (!Number.isSafeInteger(quote.sequence) || quote.sequence < 0) {
    throw new QuoteValidationError(
      "sequence",
      "must be a non-negative safe integer",
      quote.sequence,
    );
  }
  if (!(quote.timestamp instanceof Date) || Number.isNaN(quote.timestamp.getTime())) {
    throw new QuoteValidationError("timestamp", "must be a valid Date", quote.timestamp);
  }
  if (!(quote.bid < quote.ask)) {
    throw new QuoteValidationError("ask", `must be greater than bid ${quote.bid}`, quote.ask);
  }
  if (!(quote.low24h <= quote.high24h)) {
    throw new QuoteValidationError(
      "low24h",
      `must not exceed high24h ${quote.high24h}`,
      quote.low24h,
    );
  }
  return quote;
}

/**
 * The wire form of a quote, shared by the latest-quote JSON value and the price stream entries
 * that other ecosystem services read: snake_case names like the REST API
 * (docs/protocols.md#market-data-rest-and-sse), prices as numbers, `timestamp` in epoch
 * milliseconds.
 */
export interface QuoteRecord {
  readonly symbol: string;
  readonly last: number;
  readonly bid: number;
  readonly ask: number;
  readonly bid_size: number;
  readonly ask_size: number;
  readonly volume_24h: number;
  readonly change_24h: number;
  readonly change_percent_24h: number;
  readonly high_24h: number;
  readonly low_24h: number;
  readonly sequence: number;
  readonly timestamp: number;
}

/**
 * The {@link QuoteRecord} of a quote (not validated: validate before publishing). `-0` is written
 * as `0`, since neither JSON nor stream fields can carry the sign of zero.
 */
export function toQuoteRecord(quote: Quote): QuoteRecord {
  return {
    symbol: quote.symbol,
    last: plain(quote.last),
    bid: plain(quote.bid),
    ask: plain(quote.ask),
    bid_size: plain(quote.bidSize),
    ask_size: plain(quote.askSize),
    volume_24h: plain(quote.volume24h),
    change_24h: plain(quote.change24h),
    change_percent_24h: plain(quote.changePercent24h),
    high_24h: plain(quote.high24h),
    low_24h: plain(quote.low24h),
    sequence: plain(quote.sequence),
    timestamp: quote.timestamp.getTime(),
  };
}

/**
 * The quote of a wire record, validated with {@link validateQuote}. Throws a
 * {@link QuoteValidationError} when a field is missing, has the wrong type or breaks a rule.
 */
export function fromQuoteRecord(record: unknown): Quote {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new QuoteValidationError("record", "must be an object", record);
  }
  const source = record as Record<string, unknown>;
  const number = (wire: string): number => {
    const value = source[wire];
    if (typeof value !== "number") {
      throw new QuoteValidationError(wire, "must be a number", value);
    }
    return value;
  };
  return validateQuote({
    // validateQuote checks the type: a non-string symbol is reported on `symbol`.
    symbol: source.symbol as string,
    last: number("last"),
    bid: number("bid"),
    ask: number("ask"),
    bidSize: number("bid_size"),
    askSize: number("ask_size"),
    volume24h: number("volume_24h"),
    change24h: number("change_24h"),
    changePercent24h: number("change_percent_24h"),
    high24h: number("high_24h"),
    low24h: number("low_24h"),
    sequence: number("sequence"),
    timestamp: new Date(number("timestamp")),
  });
}

/** The JSON text of a quote's {@link QuoteRecord}; `parseQuoteJson` reads it back exactly. */
export function serializeQuote(quote: Quote): string {
  return JSON.stringify(toQuoteRecord(quote));
}

/**
 * The quote in JSON text written by {@link serializeQuote} (or by another service in the same
 * format). Throws a {@link QuoteValidationError} (field `json` for unparsable text).
 */
export function parseQuoteJson(text: string): Quote {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new QuoteValidationError("json", "must be valid JSON", text);
  }
  return fromQuoteRecord(parsed);
}

/**
 * A quote as flat string fields, for a Redis stream entry (streams hold strings only). Numbers
 * use JavaScript's shortest round-trip form, so {@link quoteFromFields} restores them exactly.
 */
export function quoteToFields(quote: Quote): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(toQuoteRecord(quote))) fields[name] = String(value);
  return fields;
}

/**
 * The quote of stream fields written by {@link quoteToFields}. Throws a
 * {@link QuoteValidationError} when a field is missing or not a number.
 */
export function quoteFromFields(fields: Readonly<Record<string, string>>): Quote {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    record[name] = name === "symbol" ? value : value === "" ? Number.NaN : Number(value);
  }
  return fromQuoteRecord(record);
}

/** `-0` → `0`; every other number unchanged. */
function plain(value: number): number {
  return value === 0 ? 0 : value;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function describe(value: unknown): string {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "number") return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
