import { MemorySymbolRepository } from "@tse/market-data-adapter";
import { describe, expect, it } from "vitest";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import { seedSymbols, symbolRowOf } from "./seed-symbols.js";

describe("seedSymbols", () => {
  it("stores every simulated symbol with trading rules from its configuration", async () => {
    const repository = new MemorySymbolRepository();
    const universe = buildUniverse(["BTC-USD", "DOGE-USD"]);
    await seedSymbols(repository, universe);
    const btc = await repository.getBySymbol("BTC-USD");
    expect(btc).toMatchObject({
      baseCurrency: "BTC",
      quoteCurrency: "USD",
      isActive: true,
      minPriceMovement: 0.01,
      minOrderSize: 0.00001,
      maxOrderSize: 250,
    });
    expect(btc?.metadata).toMatchObject({ simulated: true, initialPrice: 65_000 });
    expect((await repository.getBySymbol("DOGE-USD"))?.minOrderSize).toBe(1);
  });

  it("updates rows on a changed configuration and retires symbols no longer simulated", async () => {
    const repository = new MemorySymbolRepository();
    await seedSymbols(repository, buildUniverse(["BTC-USD", "ETH-USD"]));
    const firstId = (await repository.getBySymbol("BTC-USD"))?.symbolId;
    const retired = await seedSymbols(
      repository,
      buildUniverse(["BTC-USD"], { "BTC-USD": { tickSize: 0.5 } }),
    );
    expect(retired).toEqual(["ETH-USD"]);
    const btc = await repository.getBySymbol("BTC-USD");
    expect(btc?.symbolId).toBe(firstId);
    expect(btc?.minPriceMovement).toBe(0.5);
    expect((await repository.getBySymbol("ETH-USD"))?.isActive).toBe(false);
  });

  it("never sets a minimum order above the maximum", () => {
    const [thin] = buildUniverse(["THIN-USD"], {
      "THIN-USD": { initialPrice: 0.001, tickSize: 0.00001, baseVolumePerDay: 10 },
    }).symbols;
    if (thin === undefined) throw new Error("no symbol");
    const row = symbolRowOf(thin);
    expect(row.minOrderSize).toBe(1_000);
    expect(row.maxOrderSize).toBeGreaterThanOrEqual(row.minOrderSize);
  });
});
