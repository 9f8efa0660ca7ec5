import { InMemoryMetrics } from "@tse/metrics-port";
import { describe, expect, it } from "vitest";
import {
  ACTIVE_SUBSCRIPTIONS_METRIC,
  ActiveSubscriptionsGauge,
} from "./active-subscriptions-gauge.js";
import { createCandleHub, createQuoteHub } from "./market-streams.js";

describe("ActiveSubscriptionsGauge", () => {
  it("follows streams opening and closing across hubs, per symbol", () => {
    const metrics = new InMemoryMetrics();
    const gauge = new ActiveSubscriptionsGauge(metrics, ["BTC-USD", "ETH-USD"]);
    const limits = { maxSubscribers: 10, maxSymbolsPerSubscription: 10 };
    const prices = createQuoteHub(limits, {
      onSubscriptionsChanged: () => gauge.update(),
    });
    const candles = createCandleHub(limits, {
      onSubscriptionsChanged: () => gauge.update(),
    });
    gauge.watch(prices, candles);
    const active = (symbol: string) => metrics.gauge(ACTIVE_SUBSCRIPTIONS_METRIC, { symbol });
    expect(active("BTC-USD")).toBe(0);

    const all = prices.subscribe("all");
    candles.subscribe(["BTC-USD"]);
    expect(active("BTC-USD")).toBe(2);
    expect(active("ETH-USD")).toBe(1);
    all.close();
    expect(active("BTC-USD")).toBe(1);
    expect(active("ETH-USD")).toBe(0);
    candles.closeAll();
    expect(active("BTC-USD")).toBe(0);
  });
});
