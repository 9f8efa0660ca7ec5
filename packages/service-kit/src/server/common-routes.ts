import type { MetricsPort } from "@tse/metrics-port";
import { metricsHttpHandler } from "@tse/prometheus-adapter";
import { type RestRoute, sendJson } from "../http/rest-router.js";
import type { Readiness } from "../readiness/readiness.js";

/** Who a service is, as reported by `/api/v1/health`. */
export interface ServiceInfo {
  readonly service: string;
  /** The instance name, or the service name for a single instance. */
  readonly instance: string;
  readonly version: string;
  readonly environment: string;
}

/**
 * The endpoints every service has (docs/protocols.md#common-http-endpoints): liveness at
 * `/api/v1/health`, readiness at `/api/v1/ready` (503 while any check fails or during shutdown),
 * and the metrics exposition at `/metrics` and `/api/v1/metrics` (OpenMetrics when the `Accept`
 * header asks for it). All are `open`: probes and scrapers need no token, even with
 * `AUTH_PROTECT_READS`.
 */
export function commonRoutes(options: {
  readonly info: ServiceInfo;
  readonly readiness: Readiness;
  readonly metrics: MetricsPort;
}): RestRoute[] {
  const serveMetrics = metricsHttpHandler(options.metrics);
  const metricsRoute: RestRoute["handler"] = async ({ req, res }) => {
    await serveMetrics(req, res);
    return undefined;
  };
  return [
    {
      method: "GET",
      path: "/api/v1/health",
      access: "open",
      handler: () => ({
        status: "healthy",
        service: options.info.service,
        instance: options.info.instance,
        version: options.info.version,
        environment: options.info.environment,
        timestamp: new Date().toISOString(),
      }),
    },
    {
      method: "GET",
      path: "/api/v1/ready",
      access: "open",
      handler: async ({ req, res }) => {
        const report = await options.readiness.evaluate();
        const body = { status: report.ready ? "ready" : "not_ready", checks: report.checks };
        sendJson(req, res, report.ready ? 200 : 503, body);
        return undefined;
      },
    },
    { method: "GET", path: "/metrics", handler: metricsRoute, access: "open" },
    { method: "GET", path: "/api/v1/metrics", handler: metricsRoute, access: "open" },
  ];
}
