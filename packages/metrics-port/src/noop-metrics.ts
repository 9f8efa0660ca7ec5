import { PROMETHEUS_TEXT_CONTENT_TYPE } from "./exposition-format.js";
import type {
  MetricDescription,
  MetricKind,
  MetricLabels,
  MetricsExposition,
  MetricsPort,
} from "./metrics-port.js";

const EMPTY_ERRORS: readonly string[] = Object.freeze([]);

/**
 * A `MetricsPort` that records nothing: every recording call returns at once, the exposition
 * is an empty Prometheus text document, and there are never errors (nothing is checked).
 * For code paths and tools that must run without metrics.
 */
export class NoopMetrics implements MetricsPort {
  /** Does nothing. */
  incCounter(_name: string, _labels?: MetricLabels, _value?: number): void {}
  /** Does nothing. */
  observeHistogram(_name: string, _value: number, _labels?: MetricLabels): void {}
  /** Does nothing. */
  setGauge(_name: string, _value: number, _labels?: MetricLabels): void {}
  /** Does nothing. */
  addGauge(_name: string, _delta: number, _labels?: MetricLabels): void {}
  /** Does nothing. */
  describe(_name: string, _kind: MetricKind, _description: MetricDescription): void {}
  /** An empty body in the Prometheus text format, whatever `accept` asks for. */
  async exposition(_accept?: string): Promise<MetricsExposition> {
    return { contentType: PROMETHEUS_TEXT_CONTENT_TYPE, body: "" };
  }
  /** Always empty. */
  errors(): readonly string[] {
    return EMPTY_ERRORS;
  }
}
