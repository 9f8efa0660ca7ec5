import { ValidationError } from "@tse/field-checks";
import { beforeEach, describe, expect, it } from "vitest";
import type { PriceFeed, PriceFeedInput } from "../model/price-feed.js";
import type { PriceFeedRepository } from "../repositories/price-feed-repository.js";

const SECOND = 1_000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

/** A valid price feed `i` seconds after 2025-01-01T00:00Z. */
export function samplePriceFeed(
  i: number,
  overrides: Partial<PriceFeedInput> = {},
): PriceFeedInput {
  return {
    symbol: "BTC-USD",
    price: 100 + i / 100,
    bid: 99.5,
    ask: 100.5 + i,
    volume24h: 1000 + i,
    timestamp: new Date(T0 + i * SECOND),
    metadata: { i },
    ...overrides,
  };
}

const seconds = (feeds: PriceFeed[]) => feeds.map((f) => (f.timestamp.getTime() - T0) / SECOND);

/**
 * The behaviour every {@link PriceFeedRepository} must have. `factory` returns an empty
 * repository for each test.
 */
export function describePriceFeedRepositoryContract(
  name: string,
  factory: () => Promise<PriceFeedRepository>,
): void {
  describe(`PriceFeedRepository contract: ${name}`, () => {
    let repo: PriceFeedRepository;
    beforeEach(async () => {
      repo = await factory();
    });

    it("stores a batch and returns it as stored: ids assigned, source defaulted", async () => {
      const stored = await repo.insertBatch([
        samplePriceFeed(0),
        samplePriceFeed(1, { source: "binance" }),
      ]);
      expect(stored).toHaveLength(2);
      expect(stored[0]?.feedId).toMatch(/^[0-9a-f-]{36}$/);
      expect(stored[0]?.source).toBe("simulator");
      const read = await repo.query({ order: "asc" });
      expect(read).toEqual(stored);
      expect(read[0]).toEqual<PriceFeed>({
        feedId: stored[0]?.feedId ?? "",
        symbol: "BTC-USD",
        price: 100,
        bid: 99.5,
        ask: 100.5,
        volume24h: 1000,
        source: "simulator",
        timestamp: new Date(T0),
        metadata: { i: 0 },
      });
    });

    it("round-trips awkward text in source and metadata exactly", async () => {
      const awkward = 'a "quoted", {braced}\\ back\\slash, null, NULL, émoji 📈, tab\there';
      const stored = await repo.insertBatch([
        samplePriceFeed(0, {
          source: 'x,"y"\\z {}',
          metadata: { note: awkward, nested: { a: [1, "}"] } },
        }),
        samplePriceFeed(1, { source: "NULL", metadata: {} }),
      ]);
      expect(await repo.query({ order: "asc" })).toEqual(stored);
      expect(stored[0]?.metadata).toEqual({ note: awkward, nested: { a: [1, "}"] } });
    });

    it("writing a stored feedId again is a no-op (retried batches do not duplicate)", async () => {
      const [first] = await repo.insertBatch([samplePriceFeed(0)]);
      await repo.insertBatch([
        { ...samplePriceFeed(5), feedId: first?.feedId ?? "" },
        samplePriceFeed(1),
      ]);
      const all = await repo.query({ order: "asc" });
      expect(seconds(all)).toEqual([0, 1]);
    });

    it("queries by symbol, source and half-open time range, ordered and paged", async () => {
      await repo.insertBatch([
        ...Array.from({ length: 10 }, (_, i) => samplePriceFeed(i)),
        samplePriceFeed(3, { symbol: "ETH-USD" }),
        samplePriceFeed(4, { source: "replay" }),
      ]);
      expect(seconds(await repo.query({ symbol: "BTC-USD", source: "simulator" }))).toEqual([
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
      ]);
      expect(seconds(await repo.query({ symbol: "BTC-USD", order: "asc", limit: 3 }))).toEqual([
        0, 1, 2,
      ]);
      expect(seconds(await repo.query({ source: "simulator", limit: 2, offset: 1 }))).toEqual([
        8, 7,
      ]);
      expect(
        seconds(
          await repo.query({
            symbol: "BTC-USD",
            source: "simulator",
            from: new Date(T0 + 2 * SECOND),
            to: new Date(T0 + 5 * SECOND),
            order: "asc",
          }),
        ),
      ).toEqual([2, 3, 4]);
      expect(seconds(await repo.query({ symbol: "ETH-USD" }))).toEqual([3]);
      expect(seconds(await repo.query({ source: "replay" }))).toEqual([4]);
      expect(await repo.query({ symbol: "SOL-USD" })).toEqual([]);
      expect(await repo.query()).toHaveLength(12);
    });

    it("orders feeds of the same timestamp by id, the same way in both directions", async () => {
      await repo.insertBatch(Array.from({ length: 5 }, () => samplePriceFeed(0)));
      const asc = await repo.query({ order: "asc" });
      const desc = await repo.query({ order: "desc" });
      expect(asc.map((f) => f.feedId)).toEqual([...asc.map((f) => f.feedId)].sort());
      expect(desc.map((f) => f.feedId)).toEqual(asc.map((f) => f.feedId).reverse());
    });

    it("latest gives the newest feed of a symbol; latestAll one per symbol, by symbol", async () => {
      expect(await repo.latest("BTC-USD")).toBeUndefined();
      expect(await repo.latestAll()).toEqual([]);
      await repo.insertBatch([
        samplePriceFeed(5),
        samplePriceFeed(9),
        samplePriceFeed(2),
        samplePriceFeed(1, { symbol: "ETH-USD" }),
        samplePriceFeed(3, { symbol: "AB-USD" }),
        samplePriceFeed(4, { symbol: "ABC-USD" }),
      ]);
      expect(seconds([(await repo.latest("BTC-USD")) as PriceFeed])).toEqual([9]);
      const all = await repo.latestAll();
      expect(all.map((f) => `${f.symbol}@${(f.timestamp.getTime() - T0) / SECOND}`)).toEqual([
        "AB-USD@3",
        "ABC-USD@4",
        "BTC-USD@9",
        "ETH-USD@1",
      ]);
    });

    it("deleteOlderThan deletes strictly older feeds and counts them", async () => {
      await repo.insertBatch(Array.from({ length: 10 }, (_, i) => samplePriceFeed(i)));
      expect(await repo.deleteOlderThan(new Date(T0 + 4 * SECOND))).toBe(4);
      expect(await repo.deleteOlderThan(new Date(T0 + 4 * SECOND))).toBe(0);
      expect(seconds(await repo.query({ order: "asc" }))).toEqual([4, 5, 6, 7, 8, 9]);
      await expect(repo.deleteOlderThan(new Date(Number.NaN))).rejects.toThrow(ValidationError);
    });

    it("keeps 8 decimal places exactly and rounds beyond them like numeric(24,8)", async () => {
      await repo.insertBatch([
        samplePriceFeed(0, {
          price: 12345678.12345678,
          bid: 0.00000001,
          ask: 1234567890123456,
          volume24h: 0.000000005,
        }),
      ]);
      expect(await repo.latest("BTC-USD")).toMatchObject({
        price: 12345678.12345678,
        bid: 0.00000001,
        ask: 1234567890123456,
        volume24h: 0.00000001,
      });
    });

    it("round-trips a batch of 10 000 feeds", async () => {
      const feeds = Array.from({ length: 10_000 }, (_, i) => samplePriceFeed(i));
      const stored = await repo.insertBatch(feeds);
      const read = await repo.query({ order: "asc" });
      expect(read).toHaveLength(10_000);
      expect(read).toEqual(stored);
    });

    it("rejects a batch whose last row is bad and writes nothing of it", async () => {
      const batch = Array.from({ length: 100 }, (_, i) => samplePriceFeed(i));
      batch.push(samplePriceFeed(100, { price: 0 }));
      const error = await repo.insertBatch(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("feeds[100].price");
      expect(await repo.query()).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["an invalid symbol", { symbol: "BTC/USD" }, "symbol"],
      ["a negative price", { price: -5 }, "price"],
      ["a NaN price", { price: Number.NaN }, "price"],
      ["a price rounding to 0", { price: 1e-9 }, "price"],
      ["a bid above the ask", { bid: 200, ask: 100 }, "bid"],
      ["a negative volume", { volume24h: -0.1 }, "volume24h"],
      ["an empty source", { source: "" }, "source"],
      ["an invalid timestamp", { timestamp: new Date("nope") }, "timestamp"],
      ["a non-UUID id", { feedId: "42" }, "feedId"],
      ["a non-JSON metadata value", { metadata: { at: new Date() } }, "metadata"],
    ])("rejects %s before writing", async (_, overrides, field) => {
      const bad = { ...samplePriceFeed(0), ...overrides } as PriceFeedInput;
      const error = await repo.insertBatch([samplePriceFeed(1), bad]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(`feeds[1].${field}`);
      expect(await repo.query()).toEqual([]);
    });

    it("rejects bad queries with a ValidationError", async () => {
      await expect(repo.query({ limit: 1.5 })).rejects.toThrow(ValidationError);
      await expect(repo.query({ offset: -1 })).rejects.toThrow(ValidationError);
      await expect(repo.query({ from: new Date(Number.NaN) })).rejects.toThrow(ValidationError);
      await expect(repo.query({ order: "up" as "asc" })).rejects.toThrow(ValidationError);
      await expect(repo.latest("btc")).rejects.toThrow(ValidationError);
    });
  });
}
