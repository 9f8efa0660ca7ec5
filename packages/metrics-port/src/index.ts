/**
 * @tse/metrics-port — the domain-side metrics interface (docs/operations.md#metrics). Zero
 * dependencies.
 *
 * Domain and application code record through {@link MetricsPort}; the composition root picks
 * an implementation: the Prometheus adapter (`@tse/prometheus-adapter`), the OpenTelemetry
 * adapter (`@tse/opentelemetry-adapter`), {@link NoopMetrics}, or {@link InMemoryMetrics} in
 * tests. Every real implementation applies the same rules through
 * {@link SchemaGuard}: label names fixed per metric by its first use, names that pass
 * `promtool check metrics`, and mistakes reported through `errors()` instead of thrown.
 *
 * `@tse/metrics-port/testing` (source condition only, not built) holds the conformance suite
 * every implementation runs, `describeMetricsPortContract`, and exposition-parsing helpers.
 */
export {
  type ConstantLabels,
  constantMetricLabels,
  REQUIRED_CONSTANT_LABELS,
} from "./constant-labels.js";
export { EVENT_LOOP_SAMPLING_MS } from "./event-loop-sampling.js";
export {
  escapeHelp,
  escapeLabelValue,
  formatLabelSet,
  formatSampleValue,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_TEXT_CONTENT_TYPE,
} from "./exposition-format.js";
export { bucketProblems, DEFAULT_HISTOGRAM_BUCKETS } from "./histogram-buckets.js";
export {
  InMemoryMetrics,
  type InMemoryMetricsOptions,
  type RecordedCall,
  type RecordedOperation,
  type RecordedSeries,
} from "./in-memory-metrics.js";
export { MetricDescriptions } from "./metric-descriptions.js";
export {
  isValidLabelName,
  LABEL_NAME_PATTERN,
  labelNamesOf,
  labelProblems,
  labelsMatch,
  type MergedLabels,
  mergeLabels,
  metricLabels,
} from "./metric-labels.js";
export {
  assertMetricName,
  isValidMetricName,
  METRIC_NAME_PATTERN,
  metricNameProblems,
} from "./metric-name.js";
export type {
  MetricDescription,
  MetricKind,
  MetricLabels,
  MetricsExposition,
  MetricsPort,
} from "./metrics-port.js";
export { NoopMetrics } from "./noop-metrics.js";
export { type MetricSchema, SchemaGuard, type SchemaGuardOptions } from "./schema-guard.js";
