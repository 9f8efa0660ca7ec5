import { ValidationError } from "@tse/field-checks";
import { beforeEach, describe, expect, it } from "vitest";
import type { MarketSnapshot, MarketSnapshotInput } from "../model/market-snapshot.js";
import type { SnapshotRepository } from "../repositories/snapshot-repository.js";

const SECOND = 1_000;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);

/** A valid snapshot `i` seconds after 2025-01-01T00:00Z. */
export function sampleSnapshot(
  i: number,
  overrides: Partial<MarketSnapshotInput> = {},
): MarketSnapshotInput {
  return {
    symbol: "BTC-USD",
    lastPrice: 100 + i / 100,
    bid: 99.5,
    ask: 100.5,
    spread: 1,
    volume24h: 1000 + i,
    priceChange24h: -2.5,
    priceChangePercent24h: -2.439,
    timestamp: new Date(T0 + i * SECOND),
    metadata: { i },
    ...overrides,
  };
}

const seconds = (snapshots: MarketSnapshot[]) =>
  snapshots.map((s) => (s.timestamp.getTime() - T0) / SECOND);

/**
 * The behaviour every {@link SnapshotRepository} must have. `factory` returns an empty repository
 * for each test.
 */
export function describeSnapshotRepositoryContract(
  name: string,
  factory: () => Promise<SnapshotRepository>,
): void {
  describe(`SnapshotRepository contract: ${name}`, () => {
    let repo: SnapshotRepository;
    beforeEach(async () => {
      repo = await factory();
    });

    it("stores a batch and reads it back with every field", async () => {
      const stored = await repo.insertBatch([sampleSnapshot(0), sampleSnapshot(1)]);
      expect(stored[0]?.snapshotId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await repo.query({ order: "asc" })).toEqual(stored);
      expect(stored[0]).toEqual<MarketSnapshot>({
        snapshotId: stored[0]?.snapshotId ?? "",
        symbol: "BTC-USD",
        lastPrice: 100,
        bid: 99.5,
        ask: 100.5,
        spread: 1,
        volume24h: 1000,
        priceChange24h: -2.5,
        priceChangePercent24h: -2.439,
        timestamp: new Date(T0),
        metadata: { i: 0 },
      });
    });

    it("keeps a 24h change of any size the simulator can produce (up to 10^12 %)", async () => {
      // A price may rise from its floor to its ceiling (10^10 times) within a day.
      const stored = await repo.insertBatch([
        sampleSnapshot(0, { priceChangePercent24h: 999_900 }),
        sampleSnapshot(1, { priceChangePercent24h: -1_000_000_000_000.1234 }),
      ]);
      expect(stored.map((s) => s.priceChangePercent24h)).toEqual([
        999_900, -1_000_000_000_000.1234,
      ]);
      expect((await repo.query({ order: "asc" })).map((s) => s.priceChangePercent24h)).toEqual([
        999_900, -1_000_000_000_000.1234,
      ]);
    });

    it("writing a stored snapshotId again is a no-op", async () => {
      const [first] = await repo.insertBatch([sampleSnapshot(0)]);
      await repo.insertBatch([
        { ...sampleSnapshot(7), snapshotId: (first?.snapshotId ?? "").toUpperCase() },
      ]);
      expect(seconds(await repo.query())).toEqual([0]);
    });

    it("queries by symbol and half-open time range, ordered and paged", async () => {
      await repo.insertBatch([
        ...Array.from({ length: 6 }, (_, i) => sampleSnapshot(i)),
        sampleSnapshot(2, { symbol: "ETH-USD" }),
      ]);
      expect(seconds(await repo.query({ symbol: "BTC-USD" }))).toEqual([5, 4, 3, 2, 1, 0]);
      expect(seconds(await repo.query({ order: "asc", limit: 2, offset: 1 }))).toEqual([1, 2]);
      expect(
        seconds(
          await repo.query({
            symbol: "BTC-USD",
            from: new Date(T0 + SECOND),
            to: new Date(T0 + 3 * SECOND),
          }),
        ),
      ).toEqual([2, 1]);
      expect(seconds(await repo.query({ symbol: "ETH-USD" }))).toEqual([2]);
    });

    it("latest and latestAll give the newest snapshot per symbol", async () => {
      expect(await repo.latest("BTC-USD")).toBeUndefined();
      await repo.insertBatch([
        sampleSnapshot(3),
        sampleSnapshot(8),
        sampleSnapshot(1, { symbol: "ETH-USD" }),
      ]);
      expect(seconds([(await repo.latest("BTC-USD")) as MarketSnapshot])).toEqual([8]);
      expect((await repo.latestAll()).map((s) => s.symbol)).toEqual(["BTC-USD", "ETH-USD"]);
    });

    it("deleteOlderThan deletes strictly older snapshots and counts them", async () => {
      await repo.insertBatch(Array.from({ length: 5 }, (_, i) => sampleSnapshot(i)));
      expect(await repo.deleteOlderThan(new Date(T0 + 2 * SECOND))).toBe(2);
      expect(seconds(await repo.query({ order: "asc" }))).toEqual([2, 3, 4]);
    });

    it("keeps the column scales: 8 decimals, the percentage 4", async () => {
      await repo.insertBatch([
        sampleSnapshot(0, {
          lastPrice: 12345678.12345678,
          priceChange24h: -0.00000001,
          priceChangePercent24h: 12.34565,
        }),
      ]);
      expect(await repo.latest("BTC-USD")).toMatchObject({
        lastPrice: 12345678.12345678,
        priceChange24h: -0.00000001,
        priceChangePercent24h: 12.3457,
      });
    });

    it("round-trips a batch of 10 000 snapshots", async () => {
      const stored = await repo.insertBatch(
        Array.from({ length: 10_000 }, (_, i) => sampleSnapshot(i)),
      );
      expect(await repo.query({ order: "asc" })).toEqual(stored);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["an invalid symbol", { symbol: "B-USD" }, "symbol"],
      ["a zero last price", { lastPrice: 0 }, "lastPrice"],
      ["a negative spread", { spread: -1 }, "spread"],
      ["a bid above the ask", { bid: 101 }, "bid"],
      ["an infinite price change", { priceChange24h: Number.NEGATIVE_INFINITY }, "priceChange24h"],
      [
        "a percentage too large for numeric(20,4)",
        { priceChangePercent24h: 1e16 },
        "priceChangePercent24h",
      ],
    ])("rejects %s (as the last row) and writes nothing", async (_, overrides, field) => {
      const bad = { ...sampleSnapshot(0), ...overrides } as MarketSnapshotInput;
      const error = await repo
        .insertBatch([...Array.from({ length: 10 }, (_, i) => sampleSnapshot(i + 1)), bad])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(`snapshots[10].${field}`);
      expect(await repo.query()).toEqual([]);
    });
  });
}
