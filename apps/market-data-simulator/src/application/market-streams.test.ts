import { StreamRefusedError } from "@tse/service-kit";
import { describe, expect, it } from "vitest";
import type { OhlcCandle } from "../domain/candles/candle-aggregator.js";
import type { CandleUpdate } from "../domain/engine/candle-update.js";
import { createCandleHub, createQuoteHub } from "./market-streams.js";

const limits = { maxSubscribers: 1, maxSymbolsPerSubscription: 2 };

const candle = (symbol: string, start: number): OhlcCandle =>
  ({ symbol, interval: "1m", start, open: 1, high: 1, low: 1, close: 1 }) as OhlcCandle;

describe("market streams", () => {
  it("refuse in the simulator's words", () => {
    const hub = createQuoteHub(limits);
    expect(() => hub.subscribe(["A-USD", "B-USD", "C-USD"])).toThrow(
      "a stream may name at most 2 symbols (got 3)",
    );
    hub.subscribe("all");
    expect(() => hub.subscribe("all")).toThrow(StreamRefusedError);
    expect(() => hub.subscribe("all")).toThrow("the simulator serves at most 1 streams at once");
  });

  it("select candles by symbol and never let an open candle replace a closed one", async () => {
    const hub = createCandleHub(limits);
    const btc = hub.subscribe(["BTC-USD"]);
    const updates: CandleUpdate[] = [
      { symbol: "BTC-USD", candle: candle("BTC-USD", 0), closed: true },
      { symbol: "BTC-USD", candle: candle("BTC-USD", 60_000), closed: false },
      { symbol: "ETH-USD", candle: candle("ETH-USD", 60_000), closed: false },
      { symbol: "BTC-USD", candle: candle("BTC-USD", 60_000), closed: false },
    ];
    hub.publish(updates);
    expect(await btc.next()).toEqual([updates[0], updates[3]]);
    expect(hub.subscriberCount("BTC-USD")).toBe(1);
    expect(hub.subscriberCount("ETH-USD")).toBe(0);
  });
});
