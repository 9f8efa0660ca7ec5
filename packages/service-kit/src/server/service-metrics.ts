import { type ConstantLabels, type MetricsPort, NoopMetrics } from "@tse/metrics-port";
import { createOpenTelemetryMetrics, otlpMetricsUrl } from "@tse/opentelemetry-adapter";
import { createPrometheusMetrics } from "@tse/prometheus-adapter";
import type { MetricsBackend } from "../config/common-settings.js";

/** The metrics settings of a service (from `commonSettings`). */
export interface ServiceMetricsSettings {
  /** `METRICS_BACKEND`. */
  readonly metricsBackend: MetricsBackend;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the OTLP/HTTP base URL; `undefined` or empty for none. */
  readonly otlpEndpoint?: string | undefined;
  /** `OTEL_METRIC_EXPORT_INTERVAL`: milliseconds between two OTLP pushes. */
  readonly otlpExportIntervalMs: number;
}

/** The `MetricsPort` of a service and how to stop it. */
export interface ServiceMetrics {
  readonly backend: MetricsBackend;
  readonly metrics: MetricsPort;
  /** The OTLP/HTTP metrics URL pushed to, when pushing. */
  readonly otlpUrl?: string;
  /**
   * Stops the implementation within `timeoutMs`: with `otel`, pushes a last time over OTLP and
   * stops its readers (nothing to do with `prometheus`). Never rejects.
   */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Builds the `MetricsPort` a service records through (docs/operations.md#metrics), with the
 * constant labels service/instance/version on every series:
 *
 * - `prometheus` (the default): `@tse/prometheus-adapter` on prom-client, with prom-client's
 *   Node runtime metrics; `/metrics` answers OpenMetrics when asked;
 * - `otel`: `@tse/opentelemetry-adapter` on the OpenTelemetry SDK, with the same runtime metric
 *   names; `/metrics` answers the Prometheus text format, and when `otlpEndpoint` is set every
 *   metric is also pushed to `<endpoint>/v1/metrics` every `otlpExportIntervalMs`;
 * - `none`: `NoopMetrics` — every recording call returns at once and `/metrics` is an empty
 *   document, for deployments that do not scrape and for measuring what metrics cost.
 *
 * The HTTP RED and RPC instrumentation of the kit records through the returned port, so it
 * works the same with either. Throws a `TypeError` for invalid constant labels.
 */
export function createServiceMetrics(
  settings: ServiceMetricsSettings,
  constantLabels: Pick<ConstantLabels, "service" | "instance" | "version">,
): ServiceMetrics {
  if (settings.metricsBackend === "prometheus") {
    return {
      backend: "prometheus",
      metrics: createPrometheusMetrics({ constantLabels: { ...constantLabels } }),
      shutdown: async () => undefined,
    };
  }
  if (settings.metricsBackend === "none") {
    return { backend: "none", metrics: new NoopMetrics(), shutdown: async () => undefined };
  }
  const endpoint = settings.otlpEndpoint ?? "";
  const otlpUrl = endpoint === "" ? undefined : otlpMetricsUrl(endpoint);
  const metrics = createOpenTelemetryMetrics({
    constantLabels: { ...constantLabels },
    ...(otlpUrl === undefined
      ? {}
      : { otlp: { url: otlpUrl, exportIntervalMillis: settings.otlpExportIntervalMs } }),
  });
  return {
    backend: "otel",
    metrics,
    ...(otlpUrl === undefined ? {} : { otlpUrl }),
    shutdown: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, timeoutMs));
      });
      try {
        await Promise.race([metrics.shutdown(), deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
