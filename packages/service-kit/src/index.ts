/**
 * @tse/service-kit — what every TSE service shares (docs/protocols.md#ports,
 * docs/protocols.md#common-http-endpoints, docs/operations.md#start-up).
 *
 * A service describes itself with a {@link ServiceDefinition} (identity defaults, ports, its
 * own settings, and a `compose` function that wires adapters to ports) and calls
 * {@link runServiceMain}. The kit does the rest: configuration from flags, environment and
 * `.env` with `--help`; pino logging with identity and redaction; metrics on prom-client or the
 * OpenTelemetry SDK (`METRICS_BACKEND`); one HTTP port for REST, SSE, metrics and
 * Connect/gRPC/gRPC-Web on HTTP/1.1 and h2c; a gRPC port; health, readiness,
 * `grpc.health.v1`, server reflection; graceful shutdown; bearer-token access control of
 * state-changing calls (`AUTH_TOKENS`, {@link serviceAccess}) and CORS that keeps foreign pages
 * from writing; a {@link ConflatingHub} fans updates out to stream subscribers.
 */
export * from "./auth/index.js";
export {
  type CommonSettings,
  commonSettings,
  type DefaultPorts,
  METRICS_BACKENDS,
  type MetricsBackend,
} from "./config/common-settings.js";
export { ConfigError } from "./config/config-error.js";
export { dependencySettings } from "./config/dependency-settings.js";
export { renderHelp } from "./config/help.js";
export {
  type ConfigOrigins,
  type ConfigSources,
  type LoadedConfig,
  loadConfig,
} from "./config/load-config.js";
export {
  booleanSchema,
  type ConfigValues,
  enumSchema,
  flagOf,
  integerSchema,
  listSchema,
  numberSchema,
  portSchema,
  type Setting,
  type SettingsSpec,
  setting,
  stringSchema,
  urlSchema,
} from "./config/setting.js";
export * from "./grpc-health/index.js";
export {
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  type CorsOptions,
  createCors,
} from "./http/cors.js";
export {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  DualProtocolServer,
} from "./http/dual-protocol-server.js";
export { HttpError } from "./http/http-error.js";
export type { NodeHandler, NodeRequest, NodeResponse } from "./http/node-http.js";
export {
  type RestContext,
  type RestHandler,
  type RestMatch,
  type RestRoute,
  RestRouter,
  sendError,
  sendJson,
} from "./http/rest-router.js";
export { assetsInDirectory, type StaticAsset, staticAssetRoutes } from "./http/static-assets.js";
export {
  type CreateLoggerOptions,
  createLogger,
  type Logger,
  type LogIdentity,
} from "./logging/create-logger.js";
export { REDACTED, redactDeep, redactSecrets } from "./logging/redact.js";
export {
  type FailureLogSink,
  RepeatedFailureLog,
  type RepeatedFailureLogOptions,
} from "./logging/repeated-failure-log.js";
export {
  Readiness,
  type ReadinessCheck,
  type ReadinessOptions,
  type ReadinessProbe,
  type ReadinessReport,
} from "./readiness/readiness.js";
export * from "./reflection/index.js";
export { commonRoutes, type ServiceInfo } from "./server/common-routes.js";
export {
  type RunningService,
  runServiceMain,
  type ServiceComposition,
  type ServiceContext,
  type ServiceDefinition,
  type StartOptions,
  startService,
} from "./server/run-service.js";
export {
  createServiceMetrics,
  type ServiceMetrics,
  type ServiceMetricsSettings,
} from "./server/service-metrics.js";
export {
  type ListeningPorts,
  ServiceServer,
  type ServiceServerOptions,
} from "./server/service-server.js";
export { StartupError, startupErrorOf } from "./server/startup-error.js";
export * from "./streams/index.js";
export { abortableDelay } from "./timing/abortable-delay.js";
export { webKitAssets, webPageRoutes } from "./web/web-kit-assets.js";
