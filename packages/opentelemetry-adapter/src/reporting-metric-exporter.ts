import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import {
  type AggregationOption,
  AggregationTemporality,
  AggregationType,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { messageOf } from "@tse/error-text";

/**
 * Wraps a push exporter (OTLP/HTTP) so that every failed export is reported through `report`
 * (one line: `OTLP metrics export failed: <reason>`) instead of going only to the global
 * OpenTelemetry diagnostics, which nobody reads. Everything else is delegated unchanged.
 */
export class ReportingMetricExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly #report: (message: string) => void;

  constructor(inner: PushMetricExporter, report: (message: string) => void) {
    this.#inner = inner;
    this.#report = report;
  }

  /** Exports through the wrapped exporter, reporting a failed result. */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        const reason = result.error === undefined ? "unknown error" : messageOf(result.error);
        this.#report(`OTLP metrics export failed: ${reason}`);
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  /** The wrapped exporter's choice, cumulative when it has none. */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return (
      this.#inner.selectAggregationTemporality?.(instrumentType) ??
      AggregationTemporality.CUMULATIVE
    );
  }

  /** The wrapped exporter's choice, the default aggregation when it has none. */
  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.#inner.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }
}
