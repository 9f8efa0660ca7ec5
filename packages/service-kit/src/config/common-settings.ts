import { isIP } from "node:net";
import { z } from "zod";
import { authSettings } from "../auth/auth-settings.js";
import { DEFAULT_CONNECTION_LIMITS } from "../http/dual-protocol-server.js";
import {
  enumSchema,
  integerSchema,
  listSchema,
  portSchema,
  setting,
  stringSchema,
} from "./setting.js";

/** The `MetricsPort` implementations a service can run on (`METRICS_BACKEND`). */
export const METRICS_BACKENDS = ["prometheus", "otel", "none"] as const;

/** One of {@link METRICS_BACKENDS}. */
export type MetricsBackend = (typeof METRICS_BACKENDS)[number];

/** An http(s) URL, or empty for none (so `OTEL_EXPORTER_OTLP_ENDPOINT=` means unset). */
const optionalHttpUrlSchema: z.ZodType<string> = z
  .string()
  .trim()
  .refine(
    (value) => {
      if (value === "") return true;
      try {
        const { protocol } = new URL(value);
        return protocol === "http:" || protocol === "https:";
      } catch {
        return false;
      }
    },
    { message: "must be empty or a URL starting with http:// or https://" },
  );

/** An IP address or a host name (RFC 1123 labels); a dotted quad that is no IPv4 address is not. */
const hostSchema: z.ZodType<string> = z
  .string()
  .trim()
  .refine(
    (value) =>
      isIP(value) !== 0 ||
      (!/^[\d.]+$/.test(value) &&
        value.length <= 253 &&
        /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(
          value,
        )),
    { message: "must be an IP address or a host name" },
  );

/** `*`, or a comma-separated list of exact origins (`https://app.example:8443`, no path). */
const corsOriginsSchema: z.ZodType<readonly string[]> = listSchema.refine(
  (origins) =>
    origins.every((origin) => {
      if (origin === "*") return true;
      try {
        const url = new URL(origin);
        return (url.protocol === "http:" || url.protocol === "https:") && url.origin === origin;
      } catch {
        return false;
      }
    }),
  { message: "must be '*' or origins like https://app.example:8443 (scheme, host, port; no path)" },
);

/** Ports a service listens on when `HTTP_PORT` / `GRPC_PORT` are not set. */
export interface DefaultPorts {
  readonly http: number;
  readonly grpc: number;
}

/**
 * The settings every TSE service has (docs/data-model.md#instance-identity,
 * docs/protocols.md#ports, docs/operations.md#metrics, docs/operations.md#configuration): identity,
 * ports, logging, CORS, access tokens, limits (request size, connection timeouts and cap), shutdown
 * and the metrics backend. A service adds its own settings next to these.
 *
 * Identity values are validated by `@tse/instance-naming` after loading, because their rules
 * depend on each other (an override wins over a derived name).
 */
export function commonSettings(defaults: {
  readonly serviceName: string;
  readonly version: string;
  readonly ports: DefaultPorts;
}) {
  return {
    serviceName: setting({
      env: "SERVICE_NAME",
      description: "Service name used in discovery, logs and metrics.",
      default: defaults.serviceName,
      schema: stringSchema,
    }),
    instanceName: setting({
      env: "SERVICE_INSTANCE_NAME",
      description:
        "Instance name (lower-case letters, digits, inner '-', ≤ 63; no segment quote, prices or cache); empty = single instance. Derives the Postgres schema and Redis namespace.",
      default: "",
      schema: stringSchema,
    }),
    version: setting({
      env: "SERVICE_VERSION",
      description: "Version reported in health output and metrics.",
      default: defaults.version,
      schema: stringSchema,
    }),
    environment: setting({
      env: "ENVIRONMENT",
      description: "Deployment environment (development, staging, production, ...).",
      default: "development",
      schema: stringSchema,
    }),
    schemaName: setting({
      env: "SCHEMA_NAME",
      description: "Postgres schema override (default: derived from the instance name).",
      schema: stringSchema,
    }),
    redisNamespace: setting({
      env: "REDIS_NAMESPACE",
      description:
        "Redis key namespace override, ending with ':', no segment quote, prices or cache (default: derived).",
      schema: stringSchema,
    }),
    host: setting({
      env: "HOST",
      description: "Address both ports bind to.",
      default: "0.0.0.0",
      schema: hostSchema,
    }),
    httpPort: setting({
      env: "HTTP_PORT",
      description:
        "HTTP port: REST, SSE, /metrics and every RPC (Connect, gRPC-Web, gRPC) on HTTP/1.1 and h2c.",
      default: String(defaults.ports.http),
      schema: portSchema,
    }),
    grpcPort: setting({
      env: "GRPC_PORT",
      description: "gRPC port: the same RPCs over cleartext HTTP/2.",
      default: String(defaults.ports.grpc),
      schema: portSchema,
    }),
    logLevel: setting({
      env: "LOG_LEVEL",
      description: "Log level.",
      default: "info",
      schema: enumSchema(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    }),
    corsAllowedOrigins: setting({
      env: "CORS_ALLOWED_ORIGINS",
      description:
        "Comma-separated origins whose pages may call the HTTP port; empty: the service's own pages only. '*' lets any page read, and write only when AUTH_TOKENS are set.",
      default: "",
      schema: corsOriginsSchema,
    }),
    ...authSettings(),
    maxRequestBytes: setting({
      env: "MAX_REQUEST_BYTES",
      description: "Largest request body or RPC message accepted, in bytes.",
      default: String(4 * 1024 * 1024),
      schema: integerSchema(1024, 256 * 1024 * 1024),
    }),
    headersTimeoutMs: setting({
      env: "HEADERS_TIMEOUT_MS",
      description:
        "An HTTP/1.1 client must send its first request head within this many milliseconds of connecting, else the connection is closed (both ports).",
      default: String(DEFAULT_CONNECTION_LIMITS.headersTimeoutMs),
      schema: integerSchema(100, 600_000),
    }),
    http2HandshakeTimeoutMs: setting({
      env: "HTTP2_HANDSHAKE_TIMEOUT_MS",
      description:
        "An HTTP/2 client must send the connection preface and its SETTINGS within this many milliseconds of connecting, else the connection is closed (both ports).",
      default: String(DEFAULT_CONNECTION_LIMITS.http2HandshakeTimeoutMs),
      schema: integerSchema(100, 600_000),
    }),
    idleTimeoutMs: setting({
      env: "IDLE_TIMEOUT_MS",
      description:
        "A connection with no request or stream in flight for this many milliseconds is closed; open streams are never cut by it (both ports).",
      default: String(DEFAULT_CONNECTION_LIMITS.idleTimeoutMs),
      schema: integerSchema(100, 3_600_000),
    }),
    maxClientConnections: setting({
      env: "MAX_CLIENT_CONNECTIONS",
      description:
        "Client connections open at once on each port; one more is closed as soon as it is accepted.",
      default: String(DEFAULT_CONNECTION_LIMITS.maxConnections),
      schema: integerSchema(1, 1_000_000),
    }),
    readinessCacheMs: setting({
      env: "READINESS_CACHE_MS",
      description: "How long a readiness result is reused, in milliseconds.",
      default: "1000",
      schema: integerSchema(0, 60_000),
    }),
    shutdownTimeoutMs: setting({
      env: "SHUTDOWN_TIMEOUT_MS",
      description: "Deadline for a graceful shutdown before connections are cut, in milliseconds.",
      default: "10000",
      schema: integerSchema(100, 300_000),
    }),
    metricsBackend: setting({
      env: "METRICS_BACKEND",
      description:
        "Metrics implementation: prometheus (prom-client) or otel (OpenTelemetry SDK), both serving Prometheus text on /metrics; none records nothing (/metrics answers an empty document).",
      default: "prometheus",
      schema: enumSchema(METRICS_BACKENDS),
    }),
    otlpEndpoint: setting({
      env: "OTEL_EXPORTER_OTLP_ENDPOINT",
      description:
        "OTLP/HTTP base URL, e.g. http://collector:4318 (metrics go to <url>/v1/metrics); with METRICS_BACKEND=otel, metrics are also pushed there. Unset or empty: no push.",
      schema: optionalHttpUrlSchema,
    }),
    otlpExportIntervalMs: setting({
      env: "OTEL_METRIC_EXPORT_INTERVAL",
      description: "Time between two OTLP metric pushes, in milliseconds.",
      default: "60000",
      schema: integerSchema(100, 3_600_000),
    }),
  } as const;
}

/** The settings object returned by {@link commonSettings}. */
export type CommonSettings = ReturnType<typeof commonSettings>;
