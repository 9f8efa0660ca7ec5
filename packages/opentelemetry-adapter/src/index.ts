/**
 * @tse/opentelemetry-adapter — `MetricsPort` on the OpenTelemetry metrics SDK
 * (docs/operations.md#metrics), the alternative to `@tse/prometheus-adapter` that a service picks
 * with `METRICS_BACKEND=otel`:
 *
 * - {@link createOpenTelemetryMetrics}: a private `MeterProvider` with the constant labels on
 *   every series, histograms with explicit bucket boundaries in seconds, Node runtime metrics
 *   under prom-client's names, the Prometheus text exposition for `/metrics` (a pull reader,
 *   no HTTP server of its own), and an optional OTLP/HTTP push;
 * - {@link otlpMetricsUrl}: the metrics URL of an `OTEL_EXPORTER_OTLP_ENDPOINT` base URL.
 *
 * It runs the same `describeMetricsPortContract` suite as the Prometheus adapter and the
 * in-memory recorder; the HTTP and RPC instrumentation of `@tse/prometheus-adapter` is written
 * against `MetricsPort` and works on it unchanged.
 */
export {
  createOpenTelemetryMetrics,
  OpenTelemetryMetrics,
  type OpenTelemetryMetricsOptions,
  type OtlpPushOptions,
} from "./opentelemetry-metrics.js";
export { otlpMetricsUrl } from "./otlp-endpoint.js";
export { RUNTIME_METRIC_NAMES, registerRuntimeMetrics } from "./runtime-metrics.js";
