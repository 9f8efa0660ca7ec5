import type { MarketSymbolInput, SymbolRepository } from "@tse/market-data-adapter";
import type { SymbolConfig, SymbolUniverse } from "../domain/market/symbol-universe.js";

/**
 * The `symbols` row of a simulated symbol: the tick size as the minimum price movement; a
 * minimum order of the power of ten closest below one unit of quote currency's worth at the
 * initial price (0.00001 BTC at 65 000), a maximum of 1 % of a day's volume; the simulation
 * parameters in `metadata`, so a reader of the table knows how the prices were made.
 */
export function symbolRowOf(config: SymbolConfig): MarketSymbolInput {
  const exponent = Math.floor(Math.log10(1 / config.initialPrice));
  // 1 / 10^5 is the double nearest 0.00001; 10^-5 is not.
  const minOrderSize = exponent >= 0 ? 10 ** exponent : 1 / 10 ** -exponent;
  return {
    symbol: config.symbol,
    isActive: true,
    minPriceMovement: config.tickSize,
    minOrderSize,
    maxOrderSize: Math.max(minOrderSize, config.baseVolumePerDay / 100),
    metadata: {
      simulated: true,
      initialPrice: config.initialPrice,
      annualVolatility: config.annualVolatility,
      annualDrift: config.annualDrift,
      spreadBps: config.spreadBps,
      baseVolumePerDay: config.baseVolumePerDay,
    },
  };
}

/**
 * Makes the `symbols` table describe what this simulator serves: every symbol of `universe` is
 * upserted as active (so a changed configuration updates its row), and stored symbols it no
 * longer simulates are marked inactive — never deleted, since their history stays.
 * Resolves to the symbols deactivated.
 */
export async function seedSymbols(
  repository: SymbolRepository,
  universe: SymbolUniverse,
): Promise<string[]> {
  for (const config of universe.symbols) await repository.upsert(symbolRowOf(config));
  const simulated = new Set(universe.symbols.map((config) => config.symbol));
  const retired = (await repository.query({ active: true }))
    .map((row) => row.symbol)
    .filter((symbol) => !simulated.has(symbol));
  for (const symbol of retired) await repository.setActive(symbol, false);
  return retired;
}
