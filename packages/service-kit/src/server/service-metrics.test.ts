import { NoopMetrics } from "@tse/metrics-port";
import { OpenTelemetryMetrics } from "@tse/opentelemetry-adapter";
import { PrometheusMetrics } from "@tse/prometheus-adapter";
import { afterEach, describe, expect, it } from "vitest";
import { commonSettings } from "../config/common-settings.js";
import { ConfigError } from "../config/config-error.js";
import { loadConfig } from "../config/load-config.js";
import { createServiceMetrics, type ServiceMetrics } from "./service-metrics.js";

const constantLabels = { service: "svc", instance: "svc-1", version: "1.0.0" };
const spec = commonSettings({ serviceName: "svc", version: "1.0.0", ports: { http: 1, grpc: 2 } });

function load(env: Record<string, string>) {
  const loaded = loadConfig(spec, { argv: [], env, envFile: "/dev/null" });
  if (loaded.kind === "help") throw new Error("unexpected help");
  return loaded.values;
}

const created: ServiceMetrics[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((metrics) => metrics.shutdown(1_000)));
});

describe("metrics settings", () => {
  it("default to prometheus, no OTLP push and a 60 s push interval", () => {
    const config = load({});
    expect(config.metricsBackend).toBe("prometheus");
    expect(config.otlpEndpoint).toBeUndefined();
    expect(config.otlpExportIntervalMs).toBe(60_000);
  });

  it("read METRICS_BACKEND, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_METRIC_EXPORT_INTERVAL", () => {
    const config = load({
      METRICS_BACKEND: "otel",
      OTEL_EXPORTER_OTLP_ENDPOINT: " http://collector:4318 ",
      OTEL_METRIC_EXPORT_INTERVAL: "15000",
    });
    expect(config.metricsBackend).toBe("otel");
    expect(config.otlpEndpoint).toBe("http://collector:4318");
    expect(config.otlpExportIntervalMs).toBe(15_000);
    expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }).otlpEndpoint).toBe("");
  });

  it.each([
    [{ METRICS_BACKEND: "statsd" }, "METRICS_BACKEND"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://collector:4317" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ OTEL_METRIC_EXPORT_INTERVAL: "10" }, "OTEL_METRIC_EXPORT_INTERVAL"],
  ])("refuse %j naming %s", (env, variable) => {
    let error: unknown;
    try {
      load(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(variable);
  });
});

describe("createServiceMetrics", () => {
  it("builds the Prometheus adapter for prometheus", () => {
    const built = createServiceMetrics(load({}), constantLabels);
    created.push(built);
    expect(built.backend).toBe("prometheus");
    expect(built.metrics).toBeInstanceOf(PrometheusMetrics);
    expect(built.otlpUrl).toBeUndefined();
  });

  it("builds the OpenTelemetry adapter for otel, pushing only with an endpoint", async () => {
    const pullOnly = createServiceMetrics(
      load({ METRICS_BACKEND: "otel", OTEL_EXPORTER_OTLP_ENDPOINT: "" }),
      constantLabels,
    );
    created.push(pullOnly);
    expect(pullOnly.backend).toBe("otel");
    expect(pullOnly.metrics).toBeInstanceOf(OpenTelemetryMetrics);
    expect(pullOnly.otlpUrl).toBeUndefined();
    pullOnly.metrics.incCounter("ticks_total");
    const { body } = await pullOnly.metrics.exposition();
    expect(body).toContain('ticks_total{instance="svc-1",service="svc",version="1.0.0"} 1');

    const pushing = createServiceMetrics(
      load({ METRICS_BACKEND: "otel", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9/otlp" }),
      constantLabels,
    );
    created.push(pushing);
    expect(pushing.otlpUrl).toBe("http://127.0.0.1:9/otlp/v1/metrics");
  });

  it("records nothing with none: /metrics is an empty document", async () => {
    const built = createServiceMetrics(load({ METRICS_BACKEND: "none" }), constantLabels);
    created.push(built);
    expect(built.backend).toBe("none");
    expect(built.metrics).toBeInstanceOf(NoopMetrics);
    built.metrics.incCounter("ticks_total");
    expect((await built.metrics.exposition()).body).toBe("");
  });

  it("ignores the OTLP endpoint with prometheus", () => {
    const built = createServiceMetrics(
      load({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }),
      constantLabels,
    );
    created.push(built);
    expect(built.metrics).toBeInstanceOf(PrometheusMetrics);
    expect(built.otlpUrl).toBeUndefined();
  });

  it("bounds the shutdown by its timeout even when the collector never answers", async () => {
    // 127.0.0.1:9 (discard) refuses at once or never answers: either way shutdown must be quick.
    const built = createServiceMetrics(
      load({ METRICS_BACKEND: "otel", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" }),
      constantLabels,
    );
    built.metrics.incCounter("ticks_total");
    const started = Date.now();
    await built.shutdown(300);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
