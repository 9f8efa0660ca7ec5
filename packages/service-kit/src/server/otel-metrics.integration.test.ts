import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { DEFAULT_HISTOGRAM_BUCKETS, PROMETHEUS_TEXT_CONTENT_TYPE } from "@tse/metrics-port";
import {
  bucketBounds,
  familyTypes,
  findPromtool,
  findSamples,
  parseSamples,
  promtoolCheckMetrics,
  sampleValue,
} from "@tse/metrics-port/testing";
import { OpenTelemetryMetrics } from "@tse/opentelemetry-adapter";
import {
  Health,
  HealthCheckResponse_ServingStatus as Status,
} from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SpawnedService, spawnService } from "../testing/spawn-service.js";
import { type RunningService, startService } from "./run-service.js";

const promtool = findPromtool();
const inCi = process.env.CI === "true";

/** A loopback HTTP server standing in for an OTLP/HTTP collector (JSON). */
interface Collector {
  readonly server: Server;
  /** The base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it. */
  readonly endpoint: string;
  readonly received: { readonly path: string; readonly body: string }[];
}

async function startCollector(): Promise<Collector> {
  const received: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, received };
}

/** The names of the metrics in an OTLP/HTTP JSON request body. */
function otlpMetricNames(body: string): string[] {
  const request = JSON.parse(body) as {
    resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[];
  };
  return request.resourceMetrics.flatMap((resource) =>
    resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name)),
  );
}

/** The resource attributes of an OTLP/HTTP JSON request body. */
function otlpResource(body: string): Record<string, string | undefined> {
  const request = JSON.parse(body) as {
    resourceMetrics: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    }[];
  };
  const attributes = request.resourceMetrics[0]?.resource.attributes ?? [];
  return Object.fromEntries(attributes.map((a) => [a.key, a.value.stringValue]));
}

const constantLabels = { service: "kit-otel-service", instance: "kit-otel-01", version: "0.0.2" };

describe("a service with METRICS_BACKEND=otel", () => {
  let collector: Collector;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    collector = await startCollector();
    const started = await startService(
      {
        serviceName: "kit-otel-service",
        version: "0.0.2",
        summary: "test",
        ports: { http: 0, grpc: 0 },
        settings: {},
        compose: ({ metrics }) => ({
          readiness: { postgres: "disabled" },
          rest: [
            {
              method: "GET",
              path: "/api/v1/echo/:word",
              handler: ({ params }) => {
                metrics.incCounter("kit_echoes_total", {
                  word_length: String(params.word?.length),
                });
                return { word: params.word };
              },
            },
          ],
        }),
      },
      {
        argv: [],
        env: {
          HOST: "127.0.0.1",
          LOG_LEVEL: "silent",
          SERVICE_INSTANCE_NAME: "kit-otel-01",
          METRICS_BACKEND: "otel",
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
          // Long enough that the only push is the one on shutdown.
          OTEL_METRIC_EXPORT_INTERVAL: "3600000",
        },
        envFile: "/dev/null",
      },
    );
    if (started === "help") throw new Error("unexpected help");
    service = started;
    base = `http://127.0.0.1:${service.ports.http}`;
  });

  afterAll(async () => {
    await service?.stop();
    collector?.server.close();
  });

  it("records through the OpenTelemetry adapter", () => {
    expect(service.metrics).toBeInstanceOf(OpenTelemetryMetrics);
  });

  it("serves HTTP RED, RPC, runtime and domain metrics on /metrics with the constant labels", async () => {
    expect((await fetch(`${base}/api/v1/echo/abc`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/echo/defg`)).status).toBe(200);
    expect((await fetch(`${base}/some/random/path/12345`)).status).toBe(404);
    const client = createClient(
      Health,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.ports.grpc}` }),
    );
    expect((await client.check({ service: "" })).status).toBe(Status.SERVING);

    const response = await fetch(`${base}/metrics`, {
      headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
    const body = await response.text();

    const echo = { method: "GET", route: "/api/v1/echo/:word" };
    expect(sampleValue(body, "http_requests_total", { ...echo, code: "200" })).toBe(2);
    expect(sampleValue(body, "http_requests_total", { route: "unknown", code: "404" })).toBe(1);
    expect(sampleValue(body, "http_request_errors_total", { route: "unknown", code: "404" })).toBe(
      1,
    );
    expect(bucketBounds(body, "http_request_duration_seconds", echo)).toEqual([
      ...DEFAULT_HISTOGRAM_BUCKETS.map(String),
      "+Inf",
    ]);
    expect(sampleValue(body, "http_request_duration_seconds_count", echo)).toBe(2);
    expect(sampleValue(body, "http_request_duration_seconds_sum", echo)).toBeLessThan(5);
    // The scrape itself is in flight while it renders.
    expect(sampleValue(body, "http_requests_in_flight", { method: "GET" })).toBe(1);
    expect(body).not.toContain("12345");

    const check = { method: "/grpc.health.v1.Health/Check" };
    expect(sampleValue(body, "grpc_server_requests_total", { ...check, status: "OK" })).toBe(1);
    expect(sampleValue(body, "grpc_server_request_duration_seconds_count", check)).toBe(1);
    expect(sampleValue(body, "grpc_server_requests_in_flight", check)).toBe(0);

    expect(sampleValue(body, "kit_echoes_total", { word_length: "3" })).toBe(1);
    expect(sampleValue(body, "kit_echoes_total", { word_length: "4" })).toBe(1);
    expect(sampleValue(body, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    const types = familyTypes(body);
    expect(types.get("http_requests_total")).toBe("counter");
    expect(types.get("http_request_duration_seconds")).toBe("histogram");
    expect(types.get("grpc_server_requests_in_flight")).toBe("gauge");

    const samples = parseSamples(body);
    expect(samples.length).toBeGreaterThan(30);
    for (const sample of samples) expect(sample.labels, sample.name).toMatchObject(constantLabels);
    expect(service.metrics.errors()).toEqual([]);
  });

  it.skipIf(promtool === undefined && !inCi)("passes promtool check metrics", async () => {
    expect(promtool, "promtool is required in CI: PROMTOOL, PATH or .tools/bin").toBeDefined();
    const body = await (await fetch(`${base}/metrics`)).text();
    const result = promtoolCheckMetrics(promtool as string, body);
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("pushes over OTLP a last time when it stops", async () => {
    expect(collector.received).toEqual([]);
    expect(await service.stop()).toBe(true);
    expect(collector.received).toHaveLength(1);
    const [push] = collector.received;
    expect(push?.path).toBe("/v1/metrics");
    const names = otlpMetricNames(push?.body ?? "{}");
    expect(names).toEqual(
      expect.arrayContaining([
        "http_requests_total",
        "http_request_duration_seconds",
        "grpc_server_requests_total",
        "kit_echoes_total",
        "process_cpu_user_seconds_total",
      ]),
    );
    expect(otlpResource(push?.body ?? "{}")).toMatchObject({
      "service.name": "kit-otel-service",
      "service.instance.id": "kit-otel-01",
      "service.version": "0.0.2",
    });
  });
});

describe("a service process with METRICS_BACKEND=otel", () => {
  let collector: Collector;
  let fixture: SpawnedService | undefined;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await fixture?.stop("SIGKILL");
    collector?.server.close();
  });

  it("serves /metrics from the OpenTelemetry SDK, pushes OTLP on its interval and exits 0", async () => {
    fixture = await spawnService(
      fileURLToPath(new URL("../testing/fixture-service.ts", import.meta.url)),
      {
        LOG_LEVEL: "info",
        METRICS_BACKEND: "otel",
        OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.endpoint}/`,
        OTEL_METRIC_EXPORT_INTERVAL: "200",
      },
    );
    const startLine = fixture
      .output()
      .split("\n")
      .find((line) => line.includes("listening on http"));
    expect(JSON.parse(startLine ?? "{}")).toMatchObject({
      metrics: { backend: "otel", otlpUrl: `${collector.endpoint}/v1/metrics` },
    });

    const base = `http://127.0.0.1:${fixture.httpPort}`;
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    const body = await (await fetch(`${base}/metrics`)).text();
    const health = { method: "GET", route: "/api/v1/health", code: "200" };
    expect(sampleValue(body, "http_requests_total", health)).toBe(1);
    expect(findSamples(body, "nodejs_version_info")).toHaveLength(1);
    for (const sample of parseSamples(body)) {
      expect(sample.labels, sample.name).toMatchObject({
        service: "kit-fixture-service",
        instance: "kit-fixture-service",
        version: "0.0.1",
      });
    }

    const deadline = Date.now() + 10_000;
    const pushedHealth = () =>
      collector.received.some((push) => otlpMetricNames(push.body).includes("http_requests_total"));
    while (!pushedHealth() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pushedHealth()).toBe(true);
    expect(collector.received.every((push) => push.path === "/v1/metrics")).toBe(true);
    expect(otlpResource(collector.received[0]?.body ?? "{}")).toMatchObject({
      "service.name": "kit-fixture-service",
    });

    expect(await fixture.stop("SIGTERM")).toBe(0);
    expect(fixture.output()).toContain('"msg":"stopped"');
  });
});
