import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Quote, QuoteValidationError } from "../model/quote.js";
import type { QuoteStore, StreamEntry } from "../repositories/quote-store.js";

/** What a {@link describeQuoteStoreContract} factory gets. */
export interface QuoteStoreContractContext {
  /** The clock the store must use where it has one (epoch ms). */
  readonly now: () => number;
  /** The stream cap the store must be configured with. */
  readonly maxLength: number;
}

/** What a {@link describeQuoteStoreContract} factory returns: a fresh, empty store. */
export interface QuoteStoreFixture {
  readonly store: QuoteStore;
  /** Releases what the fixture created; called after each test. */
  readonly cleanup?: () => Promise<void>;
}

/** A stream holds between `maxLength` and `maxLength` + this many entries (Redis `MAXLEN ~`). */
export const STREAM_TRIM_SLACK = 100;

/** The stream cap the contract configures; large enough that Redis' `~` trimming acts. */
const MAX_LENGTH = 200;

/** A valid quote for tests; override any field. */
export function sampleQuote(overrides: Partial<Quote> = {}): Quote {
  return {
    symbol: "BTC-USD",
    last: 65_000.5,
    bid: 64_999.75,
    ask: 65_001.25,
    bidSize: 1.5,
    askSize: 0.75,
    volume24h: 12_345.678,
    change24h: -250.1,
    changePercent24h: -0.3832,
    high24h: 66_000,
    low24h: 64_000,
    sequence: 1,
    timestamp: new Date(1_700_000_000_123),
    ...overrides,
  };
}

/**
 * The behaviour every {@link QuoteStore} must have. `factory` is called before each test and must
 * return an empty store configured with `context.maxLength`.
 */
export function describeQuoteStoreContract(
  name: string,
  factory: (context: QuoteStoreContractContext) => Promise<QuoteStoreFixture>,
): void {
  describe(`QuoteStore contract: ${name}`, () => {
    let clock = 0;
    let fixture: QuoteStoreFixture;
    let store: QuoteStore;

    beforeEach(async () => {
      clock = 1_700_000_000_000;
      fixture = await factory({ now: () => clock, maxLength: MAX_LENGTH });
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it("returns the latest quote of a symbol exactly as published", async () => {
      expect(await store.latestQuote("BTC-USD")).toBeUndefined();
      const quote = sampleQuote({ last: 0.1 + 0.2, bid: 1e-8, ask: 0.30000000000000004 + 1 });
      await store.publishQuotes([quote]);
      expect(await store.latestQuote("BTC-USD")).toEqual(quote);
      const next = sampleQuote({ sequence: 2, last: 65_010 });
      await store.publishQuotes([next]);
      expect(await store.latestQuote("BTC-USD")).toEqual(next);
    });

    it("keeps one latest quote per symbol, the later one of a batch winning, sorted by symbol", async () => {
      await store.publishQuotes([
        sampleQuote({ symbol: "SOL-USD", sequence: 1 }),
        sampleQuote({ symbol: "BTC-USD", sequence: 1 }),
        sampleQuote({ symbol: "SOL-USD", sequence: 2 }),
        sampleQuote({ symbol: "ETH-USD", sequence: 7 }),
      ]);
      const latest = await store.latestQuotes();
      expect(latest.map((quote) => [quote.symbol, quote.sequence])).toEqual([
        ["BTC-USD", 1],
        ["ETH-USD", 7],
        ["SOL-USD", 2],
      ]);
      expect(
        (await store.readStream("SOL-USD", { count: 10 })).map((e) => e.quote.sequence),
      ).toEqual([1, 2]);
    });

    it("appends every quote to its symbol's stream, oldest first, with increasing ids", async () => {
      for (let sequence = 1; sequence <= 5; sequence += 1) {
        await store.publishQuotes([sampleQuote({ sequence })]);
      }
      const entries = await store.readStream("BTC-USD", { count: 100 });
      expect(entries.map((entry) => entry.quote.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(entries[0]?.quote).toEqual(sampleQuote({ sequence: 1 }));
      for (let index = 1; index < entries.length; index += 1) {
        expect(compareIds(entries[index - 1]?.id ?? "", entries[index]?.id ?? "")).toBeLessThan(0);
      }
      expect(await store.streamLength("BTC-USD")).toBe(5);
      expect(await store.streamLength("ETH-USD")).toBe(0);
      expect(await store.readStream("ETH-USD", { count: 10 })).toEqual([]);
    });

    it("reads a stream page by page after a given id (exclusive)", async () => {
      await store.publishQuotes(
        Array.from({ length: 25 }, (_, index) => sampleQuote({ sequence: index + 1 })),
      );
      const seen: number[] = [];
      let fromId: string | undefined;
      for (;;) {
        const page: StreamEntry[] = await store.readStream("BTC-USD", {
          count: 10,
          ...(fromId === undefined ? {} : { fromId }),
        });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(10);
        seen.push(...page.map((entry) => entry.quote.sequence));
        fromId = page.at(-1)?.id;
      }
      expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    });

    it("caps each stream near maxLength, keeping the newest entries", async () => {
      const total = MAX_LENGTH * 3;
      for (let start = 0; start < total; start += 50) {
        await store.publishQuotes(
          Array.from({ length: 50 }, (_, index) => sampleQuote({ sequence: start + index + 1 })),
        );
      }
      const length = await store.streamLength("BTC-USD");
      expect(length).toBeGreaterThanOrEqual(MAX_LENGTH);
      expect(length).toBeLessThanOrEqual(MAX_LENGTH + STREAM_TRIM_SLACK);
      const entries = await store.readStream("BTC-USD", { count: 10_000 });
      expect(entries).toHaveLength(length);
      const sequences = entries.map((entry) => entry.quote.sequence);
      expect(sequences.at(-1)).toBe(total);
      expect(sequences[0]).toBe(total - length + 1);
    });

    it("writes nothing from a batch with one invalid quote", async () => {
      const batch = [
        sampleQuote({ symbol: "BTC-USD" }),
        sampleQuote({ symbol: "ETH-USD", bid: 10, ask: 9 }),
      ];
      const error = await store.publishQuotes(batch).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(QuoteValidationError);
      expect(error).toMatchObject({ field: "ask" });
      expect(await store.latestQuotes()).toEqual([]);
      expect(await store.streamLength("BTC-USD")).toBe(0);
    });

    it("treats an empty batch as nothing to do", async () => {
      await store.publishQuotes([]);
      expect(await store.latestQuotes()).toEqual([]);
    });

    it("rejects bad symbols, counts and ids", async () => {
      await expect(store.latestQuote("btc-usd")).rejects.toThrow(QuoteValidationError);
      await expect(store.latestQuote("BTC*")).rejects.toThrow(QuoteValidationError);
      await expect(store.readStream("BTC", { count: 1 })).rejects.toThrow(QuoteValidationError);
      await expect(store.streamLength("")).rejects.toThrow(QuoteValidationError);
      for (const count of [0, -1, 1.5, 10_001]) {
        await expect(store.readStream("BTC-USD", { count })).rejects.toThrow(RangeError);
      }
      for (const fromId of ["", "abc", "1-", "-1", "1-2-3", "+"]) {
        await expect(store.readStream("BTC-USD", { count: 1, fromId })).rejects.toThrow(RangeError);
      }
    });
  });
}

function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as < bs ? -1 : as > bs ? 1 : 0;
}
