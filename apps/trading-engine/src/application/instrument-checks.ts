import { EngineRequestError, type TradingEngine } from "../domain/engine/trading-engine.js";
import { isInstrumentSymbol } from "../domain/shared/instrument-symbol.js";
import type { InstrumentCatalog } from "./trading-desk.js";

/** Throws `invalid` naming `field` unless `instrument` has the form of a symbol (`BTC-USD`). */
export function checkInstrumentSymbol(field: string, instrument: string): string {
  if (!isInstrumentSymbol(instrument)) {
    throw new EngineRequestError(
      "invalid",
      `${field} must be an instrument symbol like BTC-USD (got ${JSON.stringify(instrument.slice(0, 40))}${instrument.length > 40 ? "…" : ""})`,
    );
  }
  return instrument;
}

/**
 * Checks that `instrument` is one the engine can act on: a symbol (`invalid` otherwise) that
 * the engine has traded or seen a quote of, or that the market data feed has. Throws
 * `unknownKind` for an instrument neither knows; when the feed cannot be asked and the engine
 * does not know the instrument, the catalog's error (Unavailable) goes through, so a typo is
 * never taken for an instrument.
 */
export async function requireKnownInstrument(
  field: string,
  instrument: string,
  context: { readonly engine: TradingEngine; readonly catalog: InstrumentCatalog },
  unknownKind: "invalid" | "not_found",
): Promise<void> {
  const { engine, catalog } = context;
  checkInstrumentSymbol(field, instrument);
  const seen =
    engine.quote(instrument) !== undefined ||
    engine.positions().some((p) => p.instrument === instrument);
  if (seen || (await catalog.has(instrument))) return;
  throw new EngineRequestError(
    unknownKind,
    `${field}: the market data feed has no instrument ${instrument}`,
  );
}
