import { escapeGlob, type NamespaceSource, redisKey } from "@tse/instance-naming";
import { SYMBOL_PATTERN } from "../model/market-symbol.js";
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
import { scanKeys } from "./redis-cache-store.js";
import type { RedisConnection } from "./redis-connection.js";

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
 * `XADD <ns>prices:<symbol> MAXLEN ~ <maxLength> * <fields>`. A batch goes out as one pipeline
 * (`multi().execAsPipeline()`, no `MULTI`/`EXEC`: readers never need the batch atomically, and
 * a pipeline is cheaper), so publishing costs one round trip whatever the batch size. `~` lets
 * Redis trim whole stream nodes only, which is far cheaper than exact trimming; a stream then
 * holds between `maxLength` and about `maxLength` + 100 entries (`stream-node-max-entries`).
 */
export class RedisQuoteStore implements QuoteStore {
  readonly #connection: RedisConnection;
  readonly #namespace: string;
  readonly #maxLength: number;

  constructor(options: RedisQuoteStoreOptions) {
    this.#connection = options.connection;
    this.#namespace = redisKey(options.namespace, "x").slice(0, -1);
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
      return pipeline.execAsPipeline();
    });
  }

  async latestQuote(symbol: string): Promise<Quote | undefined> {
    const key = this.#quoteKey(symbol);
    const json = await this.#connection.run("latest quote", (client) => client.get(key));
    return json === null ? undefined : parseQuoteJson(json);
  }

  async latestQuotes(): Promise<Quote[]> {
    const prefix = `${this.#namespace}quote:`;
    const keys = new Set<string>();
    for await (const key of scanKeys(
      this.#connection,
      `${escapeGlob(prefix)}*`,
      200,
      "latest quotes",
    )) {
      // Only `<ns>quote:<symbol>`: skip anything deeper that happens to share the prefix.
      if (SYMBOL_PATTERN.test(key.slice(prefix.length))) keys.add(key);
    }
    if (keys.size === 0) return [];
    const list = [...keys];
    const values = await this.#connection.run("latest quotes", (client) => client.mGet(list));
    const quotes: Quote[] = [];
    for (const json of values) {
      // A key that expired or was deleted between SCAN and MGET reads as null.
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
    return redisKey(this.#namespace, "quote", symbol);
  }

  #streamKey(symbol: string): string {
    assertSymbol(symbol);
    return redisKey(this.#namespace, "prices", symbol);
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
