import { ValidationError } from "@tse/field-checks";
import { beforeEach, describe, expect, it } from "vitest";
import type { Candle, CandleInput } from "../model/candle.js";
import type { CandleInterval } from "../model/candle-interval.js";
import type { CandleRepository } from "../repositories/candle-repository.js";

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

/** A valid 1m candle `i` minutes after 2025-01-01T00:00Z, with prices around `base`. */
export function sampleCandle(
  i: number,
  overrides: Partial<CandleInput> = {},
  base = 100,
): CandleInput {
  return {
    symbol: "BTC-USD",
    interval: "1m",
    open: base + 1,
    high: base + 2,
    low: base - 1,
    close: base + 0.5,
    volume: 10 + i,
    startTime: new Date(T0 + i * MINUTE),
    numTrades: i,
    metadata: { i },
    ...overrides,
  };
}

/**
 * The behaviour every {@link CandleRepository} must have. `factory` returns an empty repository
 * for each test (a fresh instance, or a store whose tables were just emptied).
 */
export function describeCandleRepositoryContract(
  name: string,
  factory: () => Promise<CandleRepository>,
): void {
  describe(`CandleRepository contract: ${name}`, () => {
    let repo: CandleRepository;
    beforeEach(async () => {
      repo = await factory();
    });

    it("round-trips awkward text in metadata exactly", async () => {
      const metadata = { note: 'say "hi", {x}\\y', empty: "", list: ["NULL", null] };
      await repo.upsertBatch([sampleCandle(0, { metadata })]);
      expect((await repo.latest("BTC-USD", "1m"))?.metadata).toEqual(metadata);
    });

    it("stores a batch and reads it back with every field, end time derived", async () => {
      expect(await repo.upsertBatch([sampleCandle(0), sampleCandle(1)])).toBe(2);
      const candles = await repo.query({ symbol: "BTC-USD", interval: "1m" });
      expect(candles).toEqual<Candle[]>([
        {
          symbol: "BTC-USD",
          interval: "1m",
          open: 101,
          high: 102,
          low: 99,
          close: 100.5,
          volume: 10,
          startTime: new Date(T0),
          endTime: new Date(T0 + MINUTE),
          numTrades: 0,
          metadata: { i: 0 },
        },
        expect.objectContaining({ startTime: new Date(T0 + MINUTE), volume: 11, numTrades: 1 }),
      ]);
    });

    it("an upsert of an existing (symbol, interval, startTime) replaces every value", async () => {
      await repo.upsertBatch([sampleCandle(0)]);
      // Lower high and fewer trades: replaced, not merged.
      await repo.upsertBatch([
        sampleCandle(0, {
          open: 50,
          high: 51,
          low: 49,
          close: 50,
          volume: 1,
          numTrades: 0,
          metadata: {},
        }),
      ]);
      const candles = await repo.query({ symbol: "BTC-USD", interval: "1m" });
      expect(candles).toHaveLength(1);
      expect(candles[0]).toMatchObject({
        open: 50,
        high: 51,
        low: 49,
        close: 50,
        volume: 1,
        metadata: {},
      });
    });

    it("within one batch the last candle of a key wins", async () => {
      const written = await repo.upsertBatch([
        sampleCandle(0, { close: 100 }),
        sampleCandle(1),
        sampleCandle(0, { close: 101.5 }),
      ]);
      expect(written).toBe(2);
      expect((await repo.latest("BTC-USD", "1m"))?.startTime).toEqual(new Date(T0 + MINUTE));
      const [first] = await repo.query({ symbol: "BTC-USD", interval: "1m", limit: 1 });
      expect(first?.close).toBe(101.5);
    });

    it("queries by symbol and interval, in order, with half-open ranges, limit and offset", async () => {
      await repo.upsertBatch([
        ...Array.from({ length: 10 }, (_, i) => sampleCandle(i)),
        sampleCandle(3, { symbol: "ETH-USD" }),
        sampleCandle(0, { interval: "5m" }),
      ]);
      const starts = (candles: Candle[]) =>
        candles.map((c) => (c.startTime.getTime() - T0) / MINUTE);
      expect(starts(await repo.query({ symbol: "BTC-USD", interval: "1m" }))).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      expect(
        starts(await repo.query({ symbol: "BTC-USD", interval: "1m", order: "desc", limit: 3 })),
      ).toEqual([9, 8, 7]);
      expect(
        starts(await repo.query({ symbol: "BTC-USD", interval: "1m", limit: 2, offset: 4 })),
      ).toEqual([4, 5]);
      expect(
        starts(
          await repo.query({
            symbol: "BTC-USD",
            interval: "1m",
            from: new Date(T0 + 2 * MINUTE),
            to: new Date(T0 + 5 * MINUTE),
          }),
        ),
      ).toEqual([2, 3, 4]);
      expect(starts(await repo.query({ symbol: "ETH-USD", interval: "1m" }))).toEqual([3]);
      expect(starts(await repo.query({ symbol: "BTC-USD", interval: "5m" }))).toEqual([0]);
      expect(await repo.query({ symbol: "BTC-USD", interval: "1h" })).toEqual([]);
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m", limit: 0 })).toEqual([]);
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m", offset: 100 })).toEqual([]);
    });

    it("latest and lastPersisted give the newest candle of a series; lastPersistedAll one per series", async () => {
      expect(await repo.latest("BTC-USD", "1m")).toBeUndefined();
      expect(await repo.lastPersistedAll()).toEqual([]);
      await repo.upsertBatch([
        sampleCandle(5),
        sampleCandle(2),
        sampleCandle(0, { symbol: "ETH-USD" }),
        sampleCandle(0, { interval: "1h" }),
        sampleCandle(60, { interval: "1h" }),
        sampleCandle(0, { interval: "5m" }),
        sampleCandle(1, { symbol: "AB-USD" }),
      ]);
      expect((await repo.latest("BTC-USD", "1m"))?.startTime).toEqual(new Date(T0 + 5 * MINUTE));
      expect(await repo.lastPersisted("BTC-USD", "1m")).toEqual(await repo.latest("BTC-USD", "1m"));
      expect((await repo.lastPersisted("BTC-USD", "1h"))?.startTime).toEqual(
        new Date(T0 + 60 * MINUTE),
      );
      const all = await repo.lastPersistedAll();
      expect(
        all.map((c) => `${c.symbol}/${c.interval}@${(c.startTime.getTime() - T0) / MINUTE}`),
      ).toEqual(["AB-USD/1m@1", "BTC-USD/1m@5", "BTC-USD/5m@0", "BTC-USD/1h@60", "ETH-USD/1m@0"]);
    });

    it("keeps 8 decimal places exactly and rounds beyond them like numeric(24,8)", async () => {
      await repo.upsertBatch([
        sampleCandle(0, {
          open: 12345678.12345678,
          high: 99999999.99999999,
          low: 0.00000001,
          close: 1.000000005,
          volume: 0.123456789,
        }),
      ]);
      expect(await repo.latest("BTC-USD", "1m")).toMatchObject({
        open: 12345678.12345678,
        high: 99999999.99999999,
        low: 0.00000001,
        close: 1.00000001,
        volume: 0.12345679,
      });
    });

    it("round-trips a batch of 10 000 candles", async () => {
      const candles = Array.from({ length: 10_000 }, (_, i) => {
        const base = 100 + (i % 7);
        return sampleCandle(i, {
          open: base,
          high: base + 2,
          low: base - 1,
          close: base + (i % 1000) / 1000,
        });
      });
      expect(await repo.upsertBatch(candles)).toBe(10_000);
      const stored = await repo.query({ symbol: "BTC-USD", interval: "1m" });
      expect(stored).toHaveLength(10_000);
      expect(stored[9_999]).toMatchObject({
        close: 100 + (9_999 % 7) + 0.999,
        numTrades: 9_999,
        metadata: { i: 9_999 },
      });
      expect(stored.every((c, i) => c.startTime.getTime() === T0 + i * MINUTE)).toBe(true);
    });

    it("rejects a batch whose last row is bad and writes nothing of it", async () => {
      const batch = Array.from({ length: 100 }, (_, i) => sampleCandle(i));
      batch.push(sampleCandle(100, { high: 90, low: 95 }));
      const error = await repo.upsertBatch(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("candles[100].high");
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m" })).toEqual([]);
    });

    it.each<[string, Partial<CandleInput> | Record<string, unknown>, string]>([
      ["an invalid symbol", { symbol: "btc-usd" }, "symbol"],
      ["an unknown interval", { interval: "2m" }, "interval"],
      ["a zero price", { low: 0 }, "low"],
      ["a negative price", { open: -1 }, "open"],
      ["a NaN price", { close: Number.NaN }, "close"],
      ["an infinite price", { high: Number.POSITIVE_INFINITY }, "high"],
      ["a price too large for numeric(24,8)", { high: 1e16 }, "high"],
      ["high below low", { high: 98, low: 99, open: 98, close: 98 }, "high"],
      ["an open outside [low, high]", { open: 200 }, "open"],
      ["a close outside [low, high]", { close: 10 }, "close"],
      ["a negative volume", { volume: -1 }, "volume"],
      ["an invalid date", { startTime: new Date(Number.NaN) }, "startTime"],
      ["a start not aligned to the interval", { startTime: new Date(T0 + 1_000) }, "startTime"],
      ["a wrong end time", { endTime: new Date(T0 + 2 * MINUTE) }, "endTime"],
      ["a fractional trade count", { numTrades: 1.5 }, "numTrades"],
      ["metadata that is not an object", { metadata: [1] }, "metadata"],
    ])("rejects %s before writing", async (_, overrides, field) => {
      const bad = { ...sampleCandle(0), ...overrides } as CandleInput;
      const error = await repo.upsertBatch([sampleCandle(1), bad]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(`candles[1].${field}`);
      expect(await repo.lastPersistedAll()).toEqual([]);
    });

    it("rejects bad queries with a ValidationError", async () => {
      const interval: CandleInterval = "1m";
      await expect(repo.query({ symbol: "BTC-USD", interval, limit: -1 })).rejects.toThrow(
        ValidationError,
      );
      await expect(repo.query({ symbol: "BTC-USD", interval, offset: 0.5 })).rejects.toThrow(
        ValidationError,
      );
      await expect(repo.query({ symbol: "BTCUSD", interval })).rejects.toThrow(ValidationError);
      await expect(
        repo.query({ symbol: "BTC-USD", interval: "7m" as CandleInterval }),
      ).rejects.toThrow(ValidationError);
      await expect(repo.latest("BTC-USD", "1w" as CandleInterval)).rejects.toThrow(ValidationError);
    });

    it("an empty batch writes nothing and succeeds", async () => {
      expect(await repo.upsertBatch([])).toBe(0);
    });
  });
}
