import { register as globalRegistry } from "prom-client";
import { describe, expect, it } from "vitest";
import { familyTypes, findSamples, parseSamples, sampleValue } from "./exposition.test-helper.js";
import { createPrometheusMetrics, type PrometheusMetricsOptions } from "./prometheus-metrics.js";
import { PROMTOOL_REJECTED_RUNTIME_METRICS } from "./runtime-metrics.js";

const constantLabels = { service: "market-data-simulator", instance: "mds-001", version: "1.2.3" };
const TEXT = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const PROMETHEUS_SCRAPE_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

function create(options: Partial<PrometheusMetricsOptions> = {}) {
  return createPrometheusMetrics({ constantLabels, defaultMetrics: false, ...options });
}

describe("PrometheusMetrics recording", () => {
  it("renders counters, gauges and histograms with their values", async () => {
    const metrics = create();
    metrics.incCounter("market_data_price_updates_total", { symbol: "BTC-USD", source: "sim" });
    metrics.incCounter("market_data_price_updates_total", { symbol: "BTC-USD", source: "sim" }, 4);
    metrics.incCounter("market_data_price_updates_total", { source: "sim", symbol: "ETH-USD" }, 2);
    metrics.setGauge("market_data_subscription_active", 3, { symbol: "BTC-USD" });
    metrics.addGauge("market_data_subscription_active", -1, { symbol: "BTC-USD" });
    metrics.incCounter("market_data_subscriber_updates_dropped_total");
    metrics.observeHistogram("strategy_decision_seconds", 0.003, { strategy: "mm" });
    metrics.observeHistogram("strategy_decision_seconds", 0.2, { strategy: "mm" });
    metrics.observeHistogram("strategy_decision_seconds", 42, { strategy: "mm" });

    const { contentType, body } = await metrics.exposition();
    expect(contentType).toBe(TEXT);
    expect(metrics.errors()).toEqual([]);
    expect(
      sampleValue(body, "market_data_price_updates_total", { symbol: "BTC-USD", source: "sim" }),
    ).toBe(5);
    expect(sampleValue(body, "market_data_price_updates_total", { symbol: "ETH-USD" })).toBe(2);
    expect(sampleValue(body, "market_data_subscription_active", { symbol: "BTC-USD" })).toBe(2);
    expect(sampleValue(body, "market_data_subscriber_updates_dropped_total")).toBe(1);
    const mm = { strategy: "mm" };
    expect(sampleValue(body, "strategy_decision_seconds_bucket", { ...mm, le: "0.005" })).toBe(1);
    expect(sampleValue(body, "strategy_decision_seconds_bucket", { ...mm, le: "0.25" })).toBe(2);
    expect(sampleValue(body, "strategy_decision_seconds_bucket", { ...mm, le: "10" })).toBe(2);
    expect(sampleValue(body, "strategy_decision_seconds_bucket", { ...mm, le: "+Inf" })).toBe(3);
    expect(sampleValue(body, "strategy_decision_seconds_count", mm)).toBe(3);
    expect(sampleValue(body, "strategy_decision_seconds_sum", mm)).toBeCloseTo(42.203, 10);
    const types = familyTypes(body);
    expect(types.get("market_data_price_updates_total")).toBe("counter");
    expect(types.get("market_data_subscription_active")).toBe("gauge");
    expect(types.get("strategy_decision_seconds")).toBe("histogram");
  });

  it("uses the default buckets .005 … 10 and described buckets and help", async () => {
    const metrics = create();
    metrics.describe("risk_check_seconds", "histogram", {
      help: "Risk check latency.",
      buckets: [0.001, 0.01],
    });
    metrics.observeHistogram("risk_check_seconds", 0.0005);
    metrics.observeHistogram("order_latency_seconds", 1);
    const { body } = await metrics.exposition();
    const les = (name: string) => findSamples(body, `${name}_bucket`).map((s) => s.labels.le);
    expect(les("risk_check_seconds")).toEqual(["0.001", "0.01", "+Inf"]);
    expect(les("order_latency_seconds")).toEqual([
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "5",
      "10",
      "+Inf",
    ]);
    expect(body).toContain("# HELP risk_check_seconds Risk check latency.");
    expect(body).toContain("# HELP order_latency_seconds histogram order_latency_seconds");
  });

  it("honours the buckets option", async () => {
    const metrics = create({ buckets: [1, 2] });
    metrics.observeHistogram("x_seconds", 1.5);
    const { body } = await metrics.exposition();
    expect(findSamples(body, "x_seconds_bucket").map((s) => s.labels.le)).toEqual([
      "1",
      "2",
      "+Inf",
    ]);
  });

  it("puts the constant labels on every series, runtime metrics included", async () => {
    const metrics = createPrometheusMetrics({ constantLabels });
    metrics.incCounter("a_total", { x: "1" });
    metrics.observeHistogram("b_seconds", 0.1, { y: "2" });
    metrics.setGauge("c", 1);
    const samples = parseSamples((await metrics.exposition()).body);
    expect(samples.length).toBeGreaterThan(30);
    for (const sample of samples) {
      expect(sample.labels).toMatchObject(constantLabels);
    }
    expect(samples.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
    expect(samples.some((s) => s.name === "nodejs_heap_size_used_bytes")).toBe(true);
  });

  it("moves the Node.js version of nodejs_version_info out of the constant version label", async () => {
    const { body } = await createPrometheusMetrics({ constantLabels }).exposition();
    const [info] = findSamples(body, "nodejs_version_info");
    expect(info?.labels).toEqual({
      ...constantLabels,
      nodejs_version: process.version,
      major: process.versions.node.split(".")[0],
      minor: process.versions.node.split(".")[1],
      patch: process.versions.node.split(".")[2],
    });
    expect(info?.value).toBe(1);
  });

  it("drops the runtime gauges that promtool rejects", async () => {
    const metrics = createPrometheusMetrics({ constantLabels });
    const { body } = await metrics.exposition();
    for (const name of PROMTOOL_REJECTED_RUNTIME_METRICS) {
      expect(body).not.toContain(name);
    }
    for (const [family, type] of familyTypes(body)) {
      if (family.endsWith("_total")) expect(type, family).toBe("counter");
      if (type === "counter") expect(family, family).toMatch(/_total$/);
    }
    // The per-type gauges stay.
    expect(familyTypes(body).get("nodejs_active_handles")).toBe("gauge");
  });

  it("has no runtime metrics when defaultMetrics is false", async () => {
    const { body } = await create().exposition();
    expect(body).not.toContain("process_");
    expect(body).not.toContain("nodejs_");
  });

  it("prefixes every metric name", async () => {
    const metrics = createPrometheusMetrics({ constantLabels, prefix: "tse_" });
    metrics.incCounter("orders_total");
    const { body } = await metrics.exposition();
    expect(sampleValue(body, "tse_orders_total")).toBe(1);
    for (const family of familyTypes(body).keys()) expect(family).toMatch(/^tse_/);
  });
});

describe("PrometheusMetrics isolation", () => {
  it("keeps series in a private registry per instance", async () => {
    const first = create();
    const second = create({ constantLabels: { ...constantLabels, instance: "mds-002" } });
    first.incCounter("orders_total", { side: "buy" }, 3);
    second.incCounter("orders_total", { side: "buy" });
    second.incCounter("fills_total", { side: "buy" });
    const one = (await first.exposition()).body;
    const two = (await second.exposition()).body;
    expect(sampleValue(one, "orders_total", { side: "buy" })).toBe(3);
    expect(sampleValue(two, "orders_total", { side: "buy" })).toBe(1);
    expect(findSamples(one, "fills_total")).toEqual([]);
    expect(sampleValue(two, "orders_total", { instance: "mds-002" })).toBe(1);
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });

  it("lets two instances with runtime metrics coexist", async () => {
    const a = createPrometheusMetrics({ constantLabels });
    const b = createPrometheusMetrics({
      constantLabels: { ...constantLabels, instance: "mds-002" },
    });
    expect(findSamples((await a.exposition()).body, "process_start_time_seconds")).toHaveLength(1);
    expect(
      findSamples((await b.exposition()).body, "process_start_time_seconds", {
        instance: "mds-002",
      }),
    ).toHaveLength(1);
    expect(globalRegistry.getMetricsAsArray()).toEqual([]);
  });
});

describe("PrometheusMetrics mistakes are reported, not thrown", () => {
  it("reports a label-name mismatch and keeps the first schema", async () => {
    const metrics = create();
    metrics.incCounter("orders_total", { side: "buy" });
    expect(() => metrics.incCounter("orders_total", { side: "buy", strategy: "mm" })).not.toThrow();
    expect(() => metrics.incCounter("orders_total")).not.toThrow();
    const { body } = await metrics.exposition();
    expect(findSamples(body, "orders_total")).toHaveLength(1);
    expect(sampleValue(body, "orders_total", { side: "buy" })).toBe(1);
    expect(metrics.errors()).toEqual([
      'counter "orders_total" has label names [side]; a call with [side, strategy] was dropped',
      'counter "orders_total" has label names [side]; a call with [] was dropped',
    ]);
  });

  it("reports kind conflicts, bad values, bad names and constant-label overrides", () => {
    const metrics = create();
    metrics.setGauge("queue_depth", 1);
    expect(() => {
      metrics.incCounter("queue_depth");
      metrics.incCounter("fills_total", undefined, -1);
      metrics.observeHistogram("lat_seconds", Number.NaN);
      metrics.setGauge("bad-name", 1);
      metrics.incCounter("no_suffix");
      metrics.incCounter("x_total", { instance: "other" });
      metrics.observeHistogram("y_seconds", 1, { le: "1" });
    }).not.toThrow();
    expect(metrics.errors()).toHaveLength(7);
    expect(metrics.errors()[0]).toBe(
      'metric "queue_depth" is a gauge; using it as a counter was refused',
    );
  });

  it("reports a name already taken by a runtime metric", async () => {
    const metrics = createPrometheusMetrics({ constantLabels });
    expect(() => metrics.incCounter("process_cpu_user_seconds_total")).not.toThrow();
    expect(() => metrics.incCounter("process_cpu_user_seconds_total")).not.toThrow();
    expect(metrics.errors()).toEqual([
      'counter "process_cpu_user_seconds_total" could not be created: A metric with the name process_cpu_user_seconds_total has already been registered.',
    ]);
    await expect(metrics.exposition()).resolves.toBeDefined();
  });

  it("reports invalid described buckets and uses the defaults", async () => {
    const metrics = create();
    metrics.describe("z_seconds", "histogram", { help: "Z.", buckets: [] });
    metrics.observeHistogram("z_seconds", 1);
    expect(metrics.errors()).toEqual([
      'histogram "z_seconds": histogram buckets must be a non-empty array of finite numbers',
    ]);
    expect(findSamples((await metrics.exposition()).body, "z_seconds_bucket")).toHaveLength(12);
  });

  it("rejects invalid options at construction", () => {
    expect(() => create({ constantLabels: { ...constantLabels, service: "" } })).toThrow(/service/);
    expect(() => create({ constantLabels: { ...constantLabels, "bad-name": "x" } })).toThrow(
      TypeError,
    );
    expect(() => create({ buckets: [2, 1] })).toThrow(/ascending/);
    expect(() => create({ prefix: "bad-prefix" })).toThrow(/prefix/);
  });
});

describe("PrometheusMetrics OpenMetrics negotiation", () => {
  it("answers in OpenMetrics when Prometheus asks for it", async () => {
    const metrics = create();
    metrics.incCounter("http_requests_total", { method: "GET", route: "/x", code: "200" }, 2);
    metrics.observeHistogram("http_request_duration_seconds", 0.2, { method: "GET", route: "/x" });
    const { contentType, body } = await metrics.exposition(PROMETHEUS_SCRAPE_ACCEPT);
    expect(contentType).toBe(OPENMETRICS);
    expect(body.endsWith("# EOF\n")).toBe(true);
    expect(familyTypes(body).get("http_requests")).toBe("counter");
    expect(sampleValue(body, "http_requests_total", { route: "/x", code: "200" })).toBe(2);
    expect(sampleValue(body, "http_request_duration_seconds_count", { route: "/x" })).toBe(1);
    expect(sampleValue(body, "http_requests_total", { service: "market-data-simulator" })).toBe(2);
  });

  it("keeps the text format intact after an OpenMetrics render", async () => {
    const metrics = createPrometheusMetrics({ constantLabels });
    metrics.incCounter("orders_total", { side: "buy" });
    const before = await metrics.exposition();
    await metrics.exposition("application/openmetrics-text");
    const after = await metrics.exposition("text/plain");
    expect(after.contentType).toBe(TEXT);
    expect(familyTypes(after.body)).toEqual(familyTypes(before.body));
    expect(familyTypes(after.body).get("orders_total")).toBe("counter");
    expect(familyTypes(after.body).get("process_cpu_user_seconds_total")).toBe("counter");
    expect(after.body).not.toContain("# EOF");
  });

  it("never mixes formats between concurrent renders", async () => {
    const metrics = createPrometheusMetrics({ constantLabels });
    metrics.incCounter("orders_total", { side: "buy" });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        metrics.exposition(i % 2 === 0 ? "application/openmetrics-text" : undefined),
      ),
    );
    results.forEach((result, i) => {
      if (i % 2 === 0) {
        expect(result.contentType).toBe(OPENMETRICS);
        expect(familyTypes(result.body).get("orders")).toBe("counter");
      } else {
        expect(result.contentType).toBe(TEXT);
        expect(familyTypes(result.body).get("orders_total")).toBe("counter");
        expect(familyTypes(result.body).has("orders")).toBe(false);
      }
    });
  });
});
