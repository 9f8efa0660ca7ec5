import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_HISTOGRAM_BUCKETS, PROMETHEUS_TEXT_CONTENT_TYPE } from "@tse/metrics-port";
import { bucketBounds, familyTypes, findSamples, sampleValue } from "@tse/metrics-port/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  createOpenTelemetryMetrics,
  type OpenTelemetryMetrics,
  type OpenTelemetryMetricsOptions,
} from "./opentelemetry-metrics.js";
import { RUNTIME_METRIC_NAMES } from "./runtime-metrics.js";

const constantLabels = { service: "market-data-simulator", instance: "mds-001", version: "1.2.3" };

const created: OpenTelemetryMetrics[] = [];
function create(options: Partial<OpenTelemetryMetricsOptions> = {}): OpenTelemetryMetrics {
  const metrics = createOpenTelemetryMetrics({ constantLabels, defaultMetrics: false, ...options });
  created.push(metrics);
  return metrics;
}
afterEach(async () => {
  await Promise.all(created.splice(0).map((metrics) => metrics.shutdown()));
});

describe("OpenTelemetryMetrics options", () => {
  it("refuses invalid constant labels, buckets, OTLP settings and cardinality limits", () => {
    const invalid: Partial<OpenTelemetryMetricsOptions>[] = [
      { constantLabels: { ...constantLabels, service: "" } },
      { constantLabels: { ...constantLabels, "bad-name": "x" } },
      { buckets: [1, 0.5] },
      { buckets: [] },
      { otlp: { url: "ftp://collector/v1/metrics" } },
      { otlp: { url: "not a url" } },
      { otlp: { url: "http://collector:4318/v1/metrics", exportIntervalMillis: 0 } },
      {
        otlp: {
          url: "http://collector:4318/v1/metrics",
          exportIntervalMillis: 1000,
          exportTimeoutMillis: 2000,
        },
      },
      { cardinalityLimit: 0 },
      { cardinalityLimit: 1.5 },
    ];
    for (const options of invalid) {
      expect(() => create(options), JSON.stringify(options)).toThrow(TypeError);
    }
    expect(() => create({ constantLabels: { ...constantLabels, version: "" } })).toThrow(
      'constant label "version" must be a non-empty string',
    );
  });

  it("honours the buckets option for histograms without described buckets", async () => {
    const metrics = create({ buckets: [1, 2] });
    metrics.observeHistogram("x_seconds", 1.5);
    metrics.describe("y_seconds", "histogram", { help: "Y.", buckets: [0.1] });
    metrics.observeHistogram("y_seconds", 1.5);
    const { body } = await metrics.exposition();
    expect(bucketBounds(body, "x_seconds")).toEqual(["1", "2", "+Inf"]);
    expect(sampleValue(body, "x_seconds_bucket", { le: "1" })).toBe(0);
    expect(sampleValue(body, "x_seconds_bucket", { le: "2" })).toBe(1);
    expect(bucketBounds(body, "y_seconds")).toEqual(["0.1", "+Inf"]);
  });
});

describe("OpenTelemetryMetrics exposition", () => {
  it("is empty before anything is recorded", async () => {
    expect(await create().exposition()).toEqual({
      contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
      body: "",
    });
  });

  it("answers in the Prometheus text format even when OpenMetrics is asked for", async () => {
    const metrics = create();
    metrics.incCounter("orders_total", { side: "buy" });
    const { contentType, body } = await metrics.exposition(
      "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
    );
    expect(contentType).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
    expect(body).not.toContain("# EOF");
    expect(body).toContain("# TYPE orders_total counter\n");
  });

  it("has no target_info and no scope labels", async () => {
    const metrics = create();
    metrics.setGauge("queue_depth", 1);
    const { body } = await metrics.exposition();
    expect(body).not.toContain("target_info");
    expect(body).not.toContain("otel_scope");
    expect(findSamples(body, "queue_depth")[0]?.labels).toEqual(constantLabels);
  });

  it("refuses names OpenTelemetry does not accept, and names differing only in case", async () => {
    const metrics = create();
    metrics.incCounter("_private_total");
    metrics.incCounter("rule:orders_total");
    metrics.incCounter("Orders_total");
    metrics.incCounter("orders_total");
    metrics.incCounter("_private_total");
    expect(metrics.errors()).toEqual([
      'counter "_private_total" could not be created: OpenTelemetry instrument names must match ^[a-z][a-z0-9_.\\-/]{0,254}$ (case-insensitive)',
      'counter "rule:orders_total" could not be created: OpenTelemetry instrument names must match ^[a-z][a-z0-9_.\\-/]{0,254}$ (case-insensitive)',
      'counter "orders_total" could not be created: the name is taken (OpenTelemetry compares instrument names case-insensitively)',
    ]);
    const { body } = await metrics.exposition();
    expect([...familyTypes(body).keys()]).toEqual(["Orders_total"]);
  });

  it("rejects and reports an exposition after shutdown", async () => {
    const metrics = create();
    metrics.incCounter("orders_total");
    await metrics.shutdown();
    await metrics.shutdown();
    await expect(metrics.exposition()).rejects.toThrow();
    expect(metrics.errors().some((error) => error.startsWith("metrics exposition failed"))).toBe(
      true,
    );
  });
});

describe("OpenTelemetryMetrics runtime metrics", () => {
  it("exposes the Node runtime metrics under prom-client's names with the constant labels", async () => {
    const metrics = create({ defaultMetrics: true });
    // The event loop delay is sampled every 100 ms: wait for a few samples.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const { body } = await metrics.exposition();
    const types = familyTypes(body);
    expect([...types.keys()].sort()).toEqual([...RUNTIME_METRIC_NAMES].sort());
    expect(types.get("process_cpu_user_seconds_total")).toBe("counter");
    expect(types.get("process_resident_memory_bytes")).toBe("gauge");
    expect(sampleValue(body, "process_cpu_user_seconds_total", constantLabels)).toBeGreaterThan(0);
    expect(sampleValue(body, "process_resident_memory_bytes")).toBeGreaterThan(1024 * 1024);
    expect(sampleValue(body, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThan(0);
    const version = findSamples(body, "nodejs_version_info");
    expect(version).toHaveLength(1);
    expect(version[0]?.labels).toMatchObject({
      ...constantLabels,
      nodejs_version: process.version,
    });
  });

  it("refuses a recorded metric named like a runtime metric", async () => {
    const metrics = create({ defaultMetrics: true });
    metrics.setGauge("process_resident_memory_bytes", 1);
    expect(metrics.errors()).toEqual([
      'gauge "process_resident_memory_bytes" could not be created: the name is taken (OpenTelemetry compares instrument names case-insensitively)',
    ]);
    const { body } = await metrics.exposition();
    expect(findSamples(body, "process_resident_memory_bytes")).toHaveLength(1);
    expect(sampleValue(body, "process_resident_memory_bytes")).toBeGreaterThan(1);
  });
});

/** One request received by {@link startCollector}. */
interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A loopback HTTP server standing in for an OTLP collector; answers `status`. */
async function startCollector(status = 200): Promise<{
  url: string;
  received: Received[];
  server: Server;
}> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: req.headers["content-type"], body });
      res.writeHead(status, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/metrics`, received, server };
}

interface OtlpAttribute {
  readonly key: string;
  readonly value: { readonly stringValue?: string };
}
interface OtlpDataPoint {
  readonly attributes: readonly OtlpAttribute[];
  readonly asDouble?: number;
  readonly count?: number | string;
  readonly sum?: number;
  readonly bucketCounts?: readonly (number | string)[];
  readonly explicitBounds?: readonly number[];
}
interface OtlpMetric {
  readonly name: string;
  readonly description?: string;
  readonly sum?: { readonly dataPoints: readonly OtlpDataPoint[]; readonly isMonotonic?: boolean };
  readonly gauge?: { readonly dataPoints: readonly OtlpDataPoint[] };
  readonly histogram?: { readonly dataPoints: readonly OtlpDataPoint[] };
}
interface OtlpRequest {
  readonly resourceMetrics: readonly {
    readonly resource: { readonly attributes: readonly OtlpAttribute[] };
    readonly scopeMetrics: readonly { readonly metrics: readonly OtlpMetric[] }[];
  }[];
}

function attributesOf(point: { readonly attributes: readonly OtlpAttribute[] }) {
  return Object.fromEntries(point.attributes.map((a) => [a.key, a.value.stringValue]));
}

function metricsOf(request: OtlpRequest): Map<string, OtlpMetric> {
  const metrics = new Map<string, OtlpMetric>();
  for (const resource of request.resourceMetrics) {
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) metrics.set(metric.name, metric);
    }
  }
  return metrics;
}

describe("OpenTelemetryMetrics OTLP push", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    // Shut down first: the last push must reach a collector that still listens.
    await Promise.all(created.splice(0).map((metrics) => metrics.shutdown()));
    for (const server of servers.splice(0)) server.close();
  });

  it("pushes counters, histograms in seconds and gauges with the constant labels on flush", async () => {
    const collector = await startCollector();
    servers.push(collector.server);
    const metrics = create({ otlp: { url: collector.url } });
    metrics.describe("orders_total", "counter", { help: "Orders placed." });
    metrics.incCounter("orders_total", { side: "buy" }, 3);
    metrics.observeHistogram("decision_seconds", 0.02, { strategy: "mm" });
    metrics.observeHistogram("decision_seconds", 3, { strategy: "mm" });
    metrics.setGauge("open_positions", 2, { strategy: "mm" });
    expect(collector.received).toEqual([]);

    await metrics.forceFlush();
    expect(metrics.errors()).toEqual([]);
    expect(collector.received).toHaveLength(1);
    const [request] = collector.received;
    expect(request?.path).toBe("/v1/metrics");
    expect(request?.contentType).toBe("application/json");
    const payload = JSON.parse(request?.body ?? "{}") as OtlpRequest;
    expect(attributesOf(payload.resourceMetrics[0]?.resource ?? { attributes: [] })).toMatchObject({
      "service.name": "market-data-simulator",
      "service.instance.id": "mds-001",
      "service.version": "1.2.3",
    });
    const byName = metricsOf(payload);
    const orders = byName.get("orders_total");
    expect(orders?.description).toBe("Orders placed.");
    expect(orders?.sum?.isMonotonic).toBe(true);
    expect(orders?.sum?.dataPoints).toHaveLength(1);
    expect(attributesOf(orders?.sum?.dataPoints[0] ?? { attributes: [] })).toEqual({
      side: "buy",
      ...constantLabels,
    });
    expect(orders?.sum?.dataPoints[0]?.asDouble).toBe(3);
    const decision = byName.get("decision_seconds")?.histogram?.dataPoints[0];
    expect(decision?.explicitBounds).toEqual([...DEFAULT_HISTOGRAM_BUCKETS]);
    expect(Number(decision?.count)).toBe(2);
    expect(decision?.sum).toBeCloseTo(3.02, 9);
    // 0.02 falls in (0.01, 0.025], 3 in (2.5, 5].
    expect(decision?.bucketCounts?.map(Number)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(attributesOf(decision ?? { attributes: [] })).toEqual({
      strategy: "mm",
      ...constantLabels,
    });
    const positions = byName.get("open_positions")?.gauge?.dataPoints[0];
    expect(positions?.asDouble).toBe(2);
    expect(attributesOf(positions ?? { attributes: [] })).toEqual({
      strategy: "mm",
      ...constantLabels,
    });
  });

  it("pushes on its interval and once more on shutdown", async () => {
    const collector = await startCollector();
    servers.push(collector.server);
    const metrics = create({ otlp: { url: collector.url, exportIntervalMillis: 100 } });
    metrics.incCounter("ticks_total");
    const deadline = Date.now() + 5_000;
    while (collector.received.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(collector.received.length).toBeGreaterThanOrEqual(2);
    const before = collector.received.length;
    await metrics.shutdown();
    expect(collector.received.length).toBeGreaterThan(before);
    expect(metrics.errors()).toEqual([]);
  });

  it("reports a refused push in errors() and keeps serving /metrics", async () => {
    const collector = await startCollector(400);
    servers.push(collector.server);
    const metrics = create({ otlp: { url: collector.url } });
    metrics.incCounter("ticks_total");
    await metrics.forceFlush();
    expect(collector.received).toHaveLength(1);
    expect(metrics.errors()).toHaveLength(1);
    expect(metrics.errors()[0]).toMatch(/^OTLP metrics export failed: /);
    expect(sampleValue((await metrics.exposition()).body, "ticks_total")).toBe(1);
  });
});
