import { ValidationError } from "@tse/field-checks";
import { beforeEach, describe, expect, it } from "vitest";
import type { MarketSymbol, MarketSymbolInput } from "../model/market-symbol.js";
import type { SymbolRepository } from "../repositories/symbol-repository.js";

/** A valid symbol definition. */
export function sampleSymbol(
  symbol = "BTC-USD",
  overrides: Partial<MarketSymbolInput> = {},
): MarketSymbolInput {
  return { symbol, minPriceMovement: 0.01, minOrderSize: 0.0001, maxOrderSize: 1000, ...overrides };
}

/**
 * The behaviour every {@link SymbolRepository} must have. `factory` returns an empty repository
 * for each test, stamping times with `now`.
 */
export function describeSymbolRepositoryContract(
  name: string,
  factory: (now: () => Date) => Promise<SymbolRepository>,
): void {
  describe(`SymbolRepository contract: ${name}`, () => {
    let repo: SymbolRepository;
    let clock: number;
    beforeEach(async () => {
      clock = Date.UTC(2025, 0, 1);
      repo = await factory(() => new Date(clock));
    });

    it("creates a symbol with its defaults and finds it by id and by symbol", async () => {
      const created = await repo.upsert(sampleSymbol("BTC-USD", { metadata: { venue: "sim" } }));
      expect(created).toEqual<MarketSymbol>({
        symbolId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown as string,
        symbol: "BTC-USD",
        baseCurrency: "BTC",
        quoteCurrency: "USD",
        displayName: "BTC/USD",
        isActive: true,
        minPriceMovement: 0.01,
        minOrderSize: 0.0001,
        maxOrderSize: 1000,
        createdAt: new Date(clock),
        updatedAt: new Date(clock),
        metadata: { venue: "sim" },
      });
      expect(await repo.getById(created.symbolId)).toEqual(created);
      expect(await repo.getById(created.symbolId.toUpperCase())).toEqual(created);
      expect(await repo.getBySymbol("BTC-USD")).toEqual(created);
      expect(await repo.getBySymbol("ETH-USD")).toBeUndefined();
      expect(await repo.getById("00000000-0000-4000-8000-000000000000")).toBeUndefined();
      expect(await repo.getById("not-a-uuid")).toBeUndefined();
    });

    it("an upsert of an existing symbol replaces its fields, keeping id and createdAt", async () => {
      const created = await repo.upsert(sampleSymbol());
      clock += 60_000;
      const updated = await repo.upsert(
        sampleSymbol("BTC-USD", {
          displayName: "Bitcoin",
          isActive: false,
          maxOrderSize: 5,
          metadata: { v: 2 },
        }),
      );
      expect(updated).toEqual({
        ...created,
        displayName: "Bitcoin",
        isActive: false,
        maxOrderSize: 5,
        metadata: { v: 2 },
        updatedAt: new Date(clock),
      });
      expect(await repo.query()).toEqual([updated]);
    });

    it("queries by base, quote and activity, ordered by symbol", async () => {
      await repo.upsert(sampleSymbol("ETH-USD"));
      await repo.upsert(sampleSymbol("BTC-USD"));
      await repo.upsert(sampleSymbol("BTC-EUR", { isActive: false }));
      await repo.upsert(sampleSymbol("BTCX-USD"));
      const names = (symbols: MarketSymbol[]) => symbols.map((s) => s.symbol);
      expect(names(await repo.query())).toEqual(["BTC-EUR", "BTC-USD", "BTCX-USD", "ETH-USD"]);
      expect(names(await repo.query({ base: "BTC" }))).toEqual(["BTC-EUR", "BTC-USD"]);
      expect(names(await repo.query({ quote: "USD", active: true }))).toEqual([
        "BTC-USD",
        "BTCX-USD",
        "ETH-USD",
      ]);
      expect(names(await repo.query({ active: false }))).toEqual(["BTC-EUR"]);
      expect(await repo.query({ base: "SOL" })).toEqual([]);
      await expect(repo.query({ base: "btc" })).rejects.toThrow(ValidationError);
    });

    it("setActive flips activity and stamps updatedAt; unknown symbols give undefined", async () => {
      await repo.upsert(sampleSymbol());
      clock += 1_000;
      const inactive = await repo.setActive("BTC-USD", false);
      expect(inactive).toMatchObject({ isActive: false, updatedAt: new Date(clock) });
      expect((await repo.getBySymbol("BTC-USD"))?.isActive).toBe(false);
      expect((await repo.setActive("BTC-USD", true))?.isActive).toBe(true);
      expect(await repo.setActive("ETH-USD", true)).toBeUndefined();
    });

    it("delete removes a symbol and says whether one was there", async () => {
      await repo.upsert(sampleSymbol());
      expect(await repo.delete("BTC-USD")).toBe(true);
      expect(await repo.delete("BTC-USD")).toBe(false);
      expect(await repo.getBySymbol("BTC-USD")).toBeUndefined();
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["a lower-case symbol", { symbol: "btc-usd" }, "symbol"],
      ["a symbol without a dash", { symbol: "BTCUSD" }, "symbol"],
      ["a base currency that disagrees", { baseCurrency: "ETH" }, "baseCurrency"],
      ["a zero tick size", { minPriceMovement: 0 }, "minPriceMovement"],
      ["a NaN minimum order size", { minOrderSize: Number.NaN }, "minOrderSize"],
      ["a maximum below the minimum", { minOrderSize: 10, maxOrderSize: 1 }, "maxOrderSize"],
      ["an empty display name", { displayName: "" }, "displayName"],
    ])("rejects %s and stores nothing", async (_, overrides, field) => {
      const error = await repo
        .upsert({ ...sampleSymbol(), ...overrides } as MarketSymbolInput)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect(await repo.query()).toEqual([]);
    });

    it("keeps 8 decimal places of the size fields", async () => {
      const stored = await repo.upsert(
        sampleSymbol("BTC-USD", { minOrderSize: 0.00000001, maxOrderSize: 123456.12345678 }),
      );
      expect(stored).toMatchObject({ minOrderSize: 0.00000001, maxOrderSize: 123456.12345678 });
      expect(await repo.getBySymbol("BTC-USD")).toEqual(stored);
    });
  });
}
