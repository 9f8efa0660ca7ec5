import { assertSymbol, type Quote, validateQuote } from "../model/quote.js";
import {
  assertReadStreamOptions,
  assertStreamMaxLength,
  DEFAULT_STREAM_MAX_LENGTH,
  type QuoteStore,
  type ReadStreamOptions,
  type StreamEntry,
} from "../repositories/quote-store.js";

/** Options of {@link MemoryQuoteStore}. */
export interface MemoryQuoteStoreOptions {
  /** Entries kept per symbol stream (exactly; Redis keeps about as many). Default 10 000. */
  readonly maxLength?: number;
  /** The clock for stream ids, in epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

interface Stream {
  readonly entries: StreamEntry[];
  lastMs: number;
  lastSeq: number;
}

/**
 * {@link QuoteStore} in process memory, behaving like the Redis implementation: validation
 * before any write, ids `<ms>-<seq>` from the injected clock that strictly increase per stream
 * (like Redis' `*` ids, also when the clock stands still or goes back), and streams trimmed to
 * `maxLength` (oldest first).
 */
export class MemoryQuoteStore implements QuoteStore {
  readonly #latest = new Map<string, Quote>();
  readonly #streams = new Map<string, Stream>();
  readonly #maxLength: number;
  readonly #now: () => number;

  constructor(options: MemoryQuoteStoreOptions = {}) {
    this.#maxLength = options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH;
    assertStreamMaxLength(this.#maxLength);
    this.#now = options.now ?? Date.now;
  }

  async publishQuotes(quotes: readonly Quote[]): Promise<void> {
    // Validate the whole batch before touching anything: nothing partial is written.
    for (const quote of quotes) validateQuote(quote);
    for (const quote of quotes) {
      this.#latest.set(quote.symbol, quote);
      const stream = this.#stream(quote.symbol);
      const ms = this.#now();
      if (ms > stream.lastMs) {
        stream.lastMs = ms;
        stream.lastSeq = 0;
      } else {
        stream.lastSeq += 1;
      }
      stream.entries.push({ id: `${stream.lastMs}-${stream.lastSeq}`, quote });
      if (stream.entries.length > this.#maxLength) {
        stream.entries.splice(0, stream.entries.length - this.#maxLength);
      }
    }
  }

  async latestQuote(symbol: string): Promise<Quote | undefined> {
    assertSymbol(symbol);
    return this.#latest.get(symbol);
  }

  async latestQuotes(): Promise<Quote[]> {
    return [...this.#latest.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  async readStream(symbol: string, options: ReadStreamOptions): Promise<StreamEntry[]> {
    assertSymbol(symbol);
    assertReadStreamOptions(options);
    const entries = this.#streams.get(symbol)?.entries ?? [];
    const after = options.fromId === undefined ? undefined : parseId(options.fromId);
    const start =
      after === undefined
        ? 0
        : entries.findIndex((entry) => compareIds(parseId(entry.id), after) > 0);
    return start < 0 ? [] : entries.slice(start, start + options.count);
  }

  async streamLength(symbol: string): Promise<number> {
    assertSymbol(symbol);
    return this.#streams.get(symbol)?.entries.length ?? 0;
  }

  #stream(symbol: string): Stream {
    let stream = this.#streams.get(symbol);
    if (stream === undefined) {
      stream = { entries: [], lastMs: -1, lastSeq: 0 };
      this.#streams.set(symbol, stream);
    }
    return stream;
  }
}

function parseId(id: string): readonly [bigint, bigint] {
  const [ms = "0", seq = "0"] = id.split("-");
  return [BigInt(ms), BigInt(seq)];
}

function compareIds(a: readonly [bigint, bigint], b: readonly [bigint, bigint]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}
