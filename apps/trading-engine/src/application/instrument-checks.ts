import { EngineRequestError } from "../domain/engine/engine-request-error.js";
import type { TradingEngine } from "../domain/engine/trading-engine.js";
import { type InstrumentRules, untradableQuantity } from "../domain/orders/instrument-rules.js";
import { isInstrumentSymbol } from "../domain/shared/instrument-symbol.js";
import type { MarketMakingParameters } from "../domain/strategies/market-making.js";
import type { MeanReversionParameters } from "../domain/strategies/mean-reversion.js";
import type { TradingStrategy } from "../domain/strategies/trading-strategy.js";
import type { InstrumentCatalog } from "./instrument-catalog.js";

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

/** The order sizes a strategy's parameters fix, each with its field's name in `trading.v1`. */
function orderSizesOf(strategy: TradingStrategy): { field: string; quantity: number }[] {
  const type = strategy.type;
  switch (type) {
    case "market_making": {
      const { orderQuantity } = strategy.parameters as MarketMakingParameters;
      return [{ field: "market_making.order_quantity", quantity: orderQuantity }];
    }
    case "mean_reversion": {
      const { orderQuantity } = strategy.parameters as MeanReversionParameters;
      return [{ field: "mean_reversion.order_quantity", quantity: orderQuantity }];
    }
    default:
      return type satisfies never;
  }
}

/**
 * Checks that every order size of `strategy` can be sent on `instrument` under its `rules` (see
 * `untradableQuantity`), so that a strategy is never started to send nothing for good. Throws
 * `invalid` naming the field, the instrument and the rule; `failed_precondition` when the feed
 * lists the instrument without usable rules (`rules` undefined), as no order on it can be sent.
 */
export function checkOrderSizes(
  strategy: TradingStrategy,
  instrument: string,
  rules: InstrumentRules | undefined,
): void {
  if (rules === undefined) {
    throw new EngineRequestError(
      "failed_precondition",
      `the market data feed publishes no usable trading rules (tick, lot) for ${instrument}: no order on it can be sent`,
    );
  }
  for (const { field, quantity } of orderSizesOf(strategy)) {
    const problem = untradableQuantity(quantity, rules);
    if (problem !== undefined) {
      throw new EngineRequestError(
        "invalid",
        `${field} ${quantity} cannot be traded on ${instrument}: ${problem}`,
      );
    }
  }
}
