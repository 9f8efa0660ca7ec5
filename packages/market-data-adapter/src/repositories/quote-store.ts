import type { Quote } from "../model/quote.js";

/** The approximate length a price stream is capped at unless configured: 10 000 entries. */
export const DEFAULT_STREAM_MAX_LENGTH = 10_000;

/** The largest `count` {@link QuoteStore.readStream} accepts in one call. */
export const MAX_STREAM_READ_COUNT = 10_000;

/** One entry of a symbol's price stream. */
export interface StreamEntry {
  /** The stream entry id, `<milliseconds>-<sequence>`; pass it as `fromId` to read on. */
  readonly id: string;
  readonly quote: Quote;
}

/** Options of {@link QuoteStore.readStream}. */
export interface ReadStreamOptions {
  /** Return entries strictly after this id; absent means from the oldest entry retained. */
  readonly fromId?: string;
  /** At most this many entries (1 to {@link MAX_STREAM_READ_COUNT}). */
  readonly count: number;
}

/**
 * Latest quotes and per-symbol price streams under the instance's Redis namespace
 * (docs/data-model.md#redis-keys), for other services to read: the latest quote of a symbol at
 * `<ns>quote:<symbol>` (JSON, see `serializeQuote`) and a capped stream `<ns>prices:<symbol>`
 * (fields of `quoteToFields`).
 */
export interface QuoteStore {
  /**
   * Publishes a batch: each quote becomes its symbol's latest quote and is appended to its
   * symbol's stream, in array order (for a symbol given twice, the later quote is the latest).
   *
   * Contract: every quote is validated first (`validateQuote`); one invalid quote throws a
   * `QuoteValidationError` and nothing of the batch is written. The Redis implementation
   * writes the batch in one pipelined round trip and caps each stream at about `maxLength`
   * entries (`XADD … MAXLEN ~`). An empty batch does nothing. There is no ordering check by
   * `sequence`: the last write wins.
   */
  publishQuotes(quotes: readonly Quote[]): Promise<void>;
  /** The latest quote of `symbol`, or `undefined`. Throws a `QuoteValidationError` for a bad symbol. */
  latestQuote(symbol: string): Promise<Quote | undefined>;
  /** The latest quote of every symbol published, sorted by symbol. */
  latestQuotes(): Promise<Quote[]>;
  /**
   * Entries of `symbol`'s stream, oldest first: after `fromId` (exclusive), or from the oldest
   * retained entry, at most `count`. An unknown symbol gives `[]`. Throws a `RangeError` for a
   * malformed `fromId` or `count`, a `QuoteValidationError` for a bad symbol.
   */
  readStream(symbol: string, options: ReadStreamOptions): Promise<StreamEntry[]>;
  /** The number of entries currently in `symbol`'s stream (0 when none). */
  streamLength(symbol: string): Promise<number>;
}

/** A stream id as Redis writes them: `<ms>-<seq>`, or `<ms>` (meaning `<ms>-0`). */
const STREAM_ID = /^\d{1,20}(-\d{1,20})?$/;

/** Throws a `RangeError` unless the read options are well formed (see {@link ReadStreamOptions}). */
export function assertReadStreamOptions(options: ReadStreamOptions): void {
  const { count, fromId } = options;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_STREAM_READ_COUNT) {
    throw new RangeError(`count must be an integer 1-${MAX_STREAM_READ_COUNT}, got ${count}`);
  }
  if (fromId !== undefined && !STREAM_ID.test(fromId)) {
    throw new RangeError(`fromId must be a stream id <ms>-<seq>, got ${JSON.stringify(fromId)}`);
  }
}

/** Throws a `RangeError` unless `maxLength` is an integer >= 1. */
export function assertStreamMaxLength(maxLength: number): void {
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`the stream max length must be an integer >= 1, got ${maxLength}`);
  }
}
