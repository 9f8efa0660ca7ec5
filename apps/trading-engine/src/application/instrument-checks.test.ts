import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { MarketMakingStrategy } from "../domain/strategies/market-making.js";
import { MeanReversionStrategy } from "../domain/strategies/mean-reversion.js";
import { quote, refusalKind, T0, testEngine } from "../testing/engine-fixtures.js";
import { ETH_RULES } from "../testing/instrument-grids.js";
import type { InstrumentCatalog } from "./instrument-catalog.js";
import {
  checkInstrumentSymbol,
  checkOrderSizes,
  requireKnownInstrument,
} from "./instrument-checks.js";

/** A catalog that lists `symbols` and counts how often it was asked. */
function listing(...symbols: string[]): InstrumentCatalog & { asked: number } {
  const catalog = {
    asked: 0,
    has: async (instrument: string) => {
      catalog.asked += 1;
      return symbols.includes(instrument);
    },
  };
  return catalog;
}

const UNAVAILABLE: InstrumentCatalog = {
  has: async () => {
    throw new ConnectError("feed down", Code.Unavailable);
  },
};

describe("checkInstrumentSymbol", () => {
  it("returns a symbol as it is", () => {
    expect(checkInstrumentSymbol("instrument", "BTC-USD")).toBe("BTC-USD");
  });

  it("refuses anything else as invalid, naming the field and cutting the value to 40 characters", async () => {
    expect(await refusalKind(() => checkInstrumentSymbol("instrument", "btc-usd"))).toBe("invalid");
    expect(() => checkInstrumentSymbol("instruments[0]", "Y".repeat(41))).toThrow(
      `instruments[0] must be an instrument symbol like BTC-USD (got "${"Y".repeat(40)}"…)`,
    );
  });
});

describe("requireKnownInstrument", () => {
  it("accepts an instrument the feed lists", async () => {
    const { engine } = testEngine();
    await expect(
      requireKnownInstrument(
        "instrument",
        "ETH-USD",
        { engine, catalog: listing("ETH-USD") },
        "invalid",
      ),
    ).resolves.toBeUndefined();
  });

  it("refuses one the feed does not list with the kind the caller asks for", async () => {
    const { engine } = testEngine();
    const context = { engine, catalog: listing("BTC-USD") };
    for (const kind of ["invalid", "not_found"] as const) {
      expect(
        await refusalKind(() => requireKnownInstrument("instrument", "XRP-USD", context, kind)),
      ).toBe(kind);
    }
  });

  it("refuses a malformed symbol without asking the feed", async () => {
    const { engine } = testEngine();
    const catalog = listing("BTC-USD");
    expect(
      await refusalKind(() =>
        requireKnownInstrument("instrument", "BTC_USD", { engine, catalog }, "not_found"),
      ),
    ).toBe("invalid");
    expect(catalog.asked).toBe(0);
  });

  it("accepts an instrument the engine has a quote of without asking the feed", async () => {
    const { engine } = testEngine();
    engine.onQuote(quote(100, 101, { instrument: "SOL-USD", timestamp: T0 }), T0);
    const catalog = listing();
    await requireKnownInstrument("instrument", "SOL-USD", { engine, catalog }, "invalid");
    expect(catalog.asked).toBe(0);
  });

  it("lets the feed's error through when it cannot be asked and the engine does not know the instrument", async () => {
    const { engine } = testEngine();
    await expect(
      requireKnownInstrument("instrument", "BTC-USD", { engine, catalog: UNAVAILABLE }, "invalid"),
    ).rejects.toMatchObject({ code: Code.Unavailable });
  });
});

describe("checkOrderSizes", () => {
  it("accepts order sizes the instrument's grid can trade, for both strategy types", () => {
    expect(() =>
      checkOrderSizes(new MarketMakingStrategy({ orderQuantity: 0.5 }), "ETH-USD", ETH_RULES),
    ).not.toThrow();
    expect(() =>
      checkOrderSizes(new MeanReversionStrategy({ orderQuantity: 0.0001 }), "ETH-USD", ETH_RULES),
    ).not.toThrow();
  });

  it("refuses a size below the minimum as invalid, naming the strategy's field and the instrument", async () => {
    const strategy = new MeanReversionStrategy({ orderQuantity: 0.00005 });
    expect(await refusalKind(() => checkOrderSizes(strategy, "ETH-USD", ETH_RULES))).toBe(
      "invalid",
    );
    expect(() => checkOrderSizes(strategy, "ETH-USD", ETH_RULES)).toThrow(
      "mean_reversion.order_quantity 0.00005 cannot be traded on ETH-USD: below the minimum order size 0.0001",
    );
  });

  it("refuses a size above the maximum, naming market making's field", () => {
    expect(() =>
      checkOrderSizes(new MarketMakingStrategy({ orderQuantity: 3_001 }), "ETH-USD", ETH_RULES),
    ).toThrow(/^market_making\.order_quantity 3001 cannot be traded on ETH-USD: above the maximum/);
  });

  it("refuses any strategy as a failed precondition when the instrument has no usable rules", async () => {
    const strategy = new MarketMakingStrategy({ orderQuantity: 1 });
    expect(await refusalKind(() => checkOrderSizes(strategy, "ETH-USD", undefined))).toBe(
      "failed_precondition",
    );
  });
});
