import { INSTANCE_KEYS, type NamespaceSource, redisKey } from "@tse/instance-naming";
import type { RedisConnection } from "@tse/redis-kit";
import {
  assertSymbol,
  parseQuoteJson,
  type Quote,
  quoteFromFields,
  quoteToFields,
  serializeQuote,
  validateQuote,
} from "../model/quote.js";
import {
  assertReadStreamOptions,
  assertStreamMaxLength,
  DEFAULT_STREAM_MAX_LENGTH,
  type QuoteStore,
  type ReadStreamOptions,
  type StreamEntry,
} from "../repositories/quote-store.js";

/** Options of {@link RedisQuoteStore}. */
export interface RedisQuoteStoreOptions {
  readonly connection: RedisConnection;
  /** The instance namespace (or its identity). */
  readonly namespace: NamespaceSource;
  /** Approximate cap of each price stream (`XADD … MAXLEN ~`); default 10 000. */
  readonly maxLength?: number;
}

/**
 * {@link QuoteStore} on Redis. Latest quote: `SET <ns>quote:<symbol> <json>`; stream:
 * `XADD <ns>prices:<symbol> MAXLEN ~ <maxLength> * <fields>`; the symbols that have a latest
 * quote: the set `<ns>quote-index` (one `SADD` per batch), so {@link latestQuotes} needs no
 * `SCAN` — which the ecosystem's ACL users may not run. A batch goes out as one pipeline
 * (`multi().execAsPipeline()`, no `MULTI`/`EXEC`: readers never need the batch atomically, and
 * a pipeline is cheaper), so publishing costs one round trip whatever the batch size. `~` lets
 * Redis trim whole stream nodes only, which is far cheaper than exact trimming; a stream then
 * holds between `maxLength` and about `maxLength` + 100 entries (`stream-node-max-entries`).
 */
export class RedisQuoteStore implements QuoteStore {
  readonly #connection: RedisConnection;
  readonly #namespace: string;
  readonly #maxLength: number;
  readonly #indexKey: string;

  constructor(options: RedisQuoteStoreOptions) {
    this.#connection = options.connection;
    this.#namespace = redisKey(options.namespace, "x").slice(0, -1);
    this.#indexKey = redisKey(this.#namespace, INSTANCE_KEYS.quoteIndex);
    this.#maxLength = options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH;
    assertStreamMaxLength(this.#maxLength);
  }

  async publishQuotes(quotes: readonly Quote[]): Promise<void> {
    for (const quote of quotes) validateQuote(quote);
    if (quotes.length === 0) return;
    const trim = {
      TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: this.#maxLength },
    } as const;
    await this.#connection.run("publish quotes", (client) => {
      const pipeline = client.multi();
      for (const quote of quotes) {
        pipeline.set(this.#quoteKey(quote.symbol), serializeQuote(quote));
        pipeline.xAdd(this.#streamKey(quote.symbol), "*", quoteToFields(quote), trim);
      }
      pipeline.sAdd(this.#indexKey, [...new Set(quotes.map((quote) => quote.symbol))]);
      return pipeline.execAsPipeline();
    });
  }

  async latestQuote(symbol: string): Promise<Quote | undefined> {
    const key = this.#quoteKey(symbol);
    const json = await this.#connection.run("latest quote", (client) => client.get(key));
    return json === null ? undefined : parseQuoteJson(json);
  }

  async latestQuotes(): Promise<Quote[]> {
    const symbols = await this.#connection.run("latest quotes", (client) =>
      client.sMembers(this.#indexKey),
    );
    if (symbols.length === 0) return [];
    const keys = symbols.map((symbol) => this.#quoteKey(String(symbol)));
    const values = await this.#connection.run("latest quotes", (client) => client.mGet(keys));
    const quotes: Quote[] = [];
    for (const json of values) {
      // A quote key deleted behind the index's back reads as null.
      if (json !== null) quotes.push(parseQuoteJson(json));
    }
    return quotes.sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  async readStream(symbol: string, options: ReadStreamOptions): Promise<StreamEntry[]> {
    const key = this.#streamKey(symbol);
    assertReadStreamOptions(options);
    // `(id` makes the start exclusive (Redis >= 6.2), so a consumer passes its last id.
    const start = options.fromId === undefined ? "-" : `(${options.fromId}`;
    const reply = await this.#connection.run("read stream", (client) =>
      client.xRange(key, start, "+", { COUNT: options.count }),
    );
    return (reply ?? []).map((entry) => ({
      id: String(entry.id),
      quote: quoteFromFields(toFieldRecord(entry.message)),
    }));
  }

  async streamLength(symbol: string): Promise<number> {
    const key = this.#streamKey(symbol);
    return this.#connection.run("stream length", (client) => client.xLen(key));
  }

  #quoteKey(symbol: string): string {
    assertSymbol(symbol);
    return redisKey(this.#namespace, INSTANCE_KEYS.quote, symbol);
  }

  #streamKey(symbol: string): string {
    assertSymbol(symbol);
    return redisKey(this.#namespace, INSTANCE_KEYS.prices, symbol);
  }
}

/** Stream fields as a plain record, whether the driver mapped the RESP3 map to an object or a `Map`. */
function toFieldRecord(message: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  const entries =
    message instanceof Map
      ? message.entries()
      : Object.entries(message as Record<string, unknown>).values();
  for (const [name, value] of entries) record[String(name)] = String(value);
  return record;
}
