import type { MetricsPort } from "@tse/metrics-port";

/** Anything that counts open subscriptions per symbol: a fan-out hub. */
export interface SubscriptionCounter {
  subscriberCount(symbol: string): number;
}

/** The gauge of open streams per symbol (docs/operations.md#metrics). */
export const ACTIVE_SUBSCRIPTIONS_METRIC = "market_data_subscription_active";

/**
 * Keeps `market_data_subscription_active{symbol}` equal to the open streams (price, candle and
 * SSE alike) that receive each simulated symbol, a stream of all symbols counting for every one.
 * Call {@link update} whenever a subscription opens or closes; every symbol is reported from the
 * start, at 0 when nobody listens, so dashboards show a line instead of a gap.
 */
export class ActiveSubscriptionsGauge {
  readonly #metrics: MetricsPort;
  readonly #symbols: readonly string[];
  readonly #counters: SubscriptionCounter[] = [];

  constructor(metrics: MetricsPort, symbols: readonly string[]) {
    this.#metrics = metrics;
    this.#symbols = symbols;
    metrics.describe(ACTIVE_SUBSCRIPTIONS_METRIC, "gauge", {
      help: "Open streams receiving the symbol (price, candle and SSE streams).",
    });
  }

  /** Adds counters to the sum and reports the current figures. */
  watch(...counters: SubscriptionCounter[]): void {
    this.#counters.push(...counters);
    this.update();
  }

  /** Sets the gauge of every symbol to the sum over the watched counters. */
  update(): void {
    for (const symbol of this.#symbols) {
      let open = 0;
      for (const counter of this.#counters) open += counter.subscriberCount(symbol);
      this.#metrics.setGauge(ACTIVE_SUBSCRIPTIONS_METRIC, open, { symbol });
    }
  }
}
