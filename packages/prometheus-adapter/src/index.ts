/**
 * @tse/prometheus-adapter — `MetricsPort` on prom-client, plus the instrumentation every TSE
 * service shares (docs/operations.md#metrics):
 *
 * - {@link createPrometheusMetrics}: a private registry with constant labels, Node runtime
 *   metrics that pass `promtool check metrics`, Prometheus text or OpenMetrics exposition;
 * - {@link metricsHttpHandler}: the framework-free `/metrics` handler;
 * - {@link createHttpMetrics}: HTTP RED metrics with route templates;
 * - {@link createRpcMetricsInterceptor}: a Connect interceptor for RPC metrics.
 *
 * The HTTP and RPC instrumentation is written against `MetricsPort`, so it works with any
 * implementation (e.g. `InMemoryMetrics` in tests).
 */
export { prefersOpenMetrics } from "./content-negotiation.js";
export {
  createHttpMetrics,
  HTTP_REQUEST_DURATION_SECONDS,
  HTTP_REQUEST_ERRORS_TOTAL,
  HTTP_REQUESTS_IN_FLIGHT,
  HTTP_REQUESTS_TOTAL,
  type HttpMetrics,
  type HttpMetricsOptions,
  type HttpRequestTimer,
  normalizeHttpMethod,
  UNKNOWN_ROUTE,
} from "./http-metrics.js";
export {
  type MetricsHttpHandler,
  type MetricsHttpRequest,
  type MetricsHttpResponse,
  metricsHttpHandler,
} from "./metrics-http-handler.js";
export {
  type ConstantLabels,
  createPrometheusMetrics,
  PrometheusMetrics,
  type PrometheusMetricsOptions,
} from "./prometheus-metrics.js";
export {
  createRpcMetricsInterceptor,
  GRPC_SERVER_REQUEST_DURATION_SECONDS,
  GRPC_SERVER_REQUESTS_IN_FLIGHT,
  GRPC_SERVER_REQUESTS_TOTAL,
  GRPC_SERVER_STREAM_MESSAGES_SENT_TOTAL,
  type RpcMetricsInterceptorOptions,
  UNKNOWN_PROCEDURE,
} from "./rpc-metrics-interceptor.js";
export { RPC_STATUS_NAMES, rpcAbortStatus, rpcErrorStatus, rpcStatusName } from "./rpc-status.js";
export { PROMTOOL_REJECTED_RUNTIME_METRICS, registerRuntimeMetrics } from "./runtime-metrics.js";
