import { AggregationTemporality, MetricReader } from "@opentelemetry/sdk-metrics";

/**
 * A `MetricReader` that collects only when asked (one scrape of `/metrics`), with cumulative
 * temporality as Prometheus expects, and opens no HTTP server of its own (unlike the
 * `PrometheusExporter` of `@opentelemetry/exporter-prometheus`, which also reads
 * `OTEL_EXPORTER_PROMETHEUS_*`). Flushing and shutting down have nothing to do.
 */
export class PullMetricReader extends MetricReader {
  /** `cardinalityLimit`: the most series one metric keeps; see the SDK's cardinality limits. */
  constructor(cardinalityLimit: number) {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => cardinalityLimit,
    });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}
