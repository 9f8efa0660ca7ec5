import { describe, expect, it } from "vitest";
import { PROMETHEUS_TEXT_CONTENT_TYPE } from "./exposition-format.js";
import { InMemoryMetrics } from "./in-memory-metrics.js";

const constantLabels = { service: "svc", instance: "svc-1", version: "1.2.3" };

describe("InMemoryMetrics recording and queries", () => {
  it("sums counters over matching series", () => {
    const metrics = new InMemoryMetrics();
    metrics.incCounter("orders_total", { side: "buy", status: "new" });
    metrics.incCounter("orders_total", { side: "buy", status: "new" }, 2);
    metrics.incCounter("orders_total", { side: "sell", status: "new" }, 4);
    expect(metrics.counter("orders_total")).toBe(7);
    expect(metrics.counter("orders_total", { side: "buy" })).toBe(3);
    expect(metrics.counter("orders_total", { side: "buy", status: "new" })).toBe(3);
    expect(metrics.counter("orders_total", { side: "none" })).toBe(0);
    expect(metrics.counter("unknown_total")).toBe(0);
    expect(metrics.errors()).toEqual([]);
  });

  it("sets and adds gauges", () => {
    const metrics = new InMemoryMetrics();
    expect(metrics.gauge("in_flight")).toBeUndefined();
    metrics.addGauge("in_flight", 1, { method: "GET" });
    metrics.addGauge("in_flight", 1, { method: "GET" });
    metrics.addGauge("in_flight", -1, { method: "GET" });
    metrics.setGauge("in_flight", 5, { method: "POST" });
    expect(metrics.gauge("in_flight", { method: "GET" })).toBe(1);
    expect(metrics.gauge("in_flight", { method: "POST" })).toBe(5);
    expect(metrics.gauge("in_flight")).toBe(6);
    metrics.setGauge("in_flight", -2, { method: "POST" });
    expect(metrics.gauge("in_flight", { method: "POST" })).toBe(-2);
  });

  it("returns histogram observations", () => {
    const metrics = new InMemoryMetrics();
    metrics.observeHistogram("latency_seconds", 0.2, { op: "a" });
    metrics.observeHistogram("latency_seconds", 0.1, { op: "b" });
    metrics.observeHistogram("latency_seconds", 0.3, { op: "a" });
    expect(metrics.histogram("latency_seconds", { op: "a" })).toEqual([0.2, 0.3]);
    expect(metrics.histogram("latency_seconds")).toEqual([0.2, 0.3, 0.1]);
    expect(metrics.histogram("none_seconds")).toEqual([]);
    // The query helpers are kind-specific.
    expect(metrics.counter("latency_seconds")).toBe(0);
  });

  it("lists calls, including refused ones, and series", () => {
    const metrics = new InMemoryMetrics();
    metrics.incCounter("a_total");
    metrics.incCounter("a_total", { x: "1" });
    expect(metrics.calls).toEqual([
      { operation: "incCounter", name: "a_total", value: 1, labels: {}, accepted: true },
      { operation: "incCounter", name: "a_total", value: 1, labels: { x: "1" }, accepted: false },
    ]);
    expect(metrics.series("a_total")).toEqual([{ labels: {}, value: 1, observations: [] }]);
    expect(metrics.series("nope")).toEqual([]);
  });

  it("enforces the schema guard without throwing", () => {
    const metrics = new InMemoryMetrics({ constantLabels });
    metrics.incCounter("orders_total", { side: "buy" });
    expect(() => metrics.incCounter("orders_total", { side: "buy", extra: "x" })).not.toThrow();
    metrics.setGauge("orders_total", 1, { side: "buy" });
    metrics.incCounter("orders_total", { side: "buy" }, -1);
    metrics.setGauge("pnl", Number.NaN);
    metrics.incCounter("fills_total", { service: "spoof" });
    metrics.incCounter("fills", {});
    expect(metrics.counter("orders_total")).toBe(1);
    expect(metrics.errors()).toEqual([
      'counter "orders_total" has label names [side]; a call with [extra, side] was dropped',
      'metric "orders_total" is a counter; using it as a gauge was refused',
      'counter "orders_total": an increment must not be negative (counters only go up); the call was dropped',
      'gauge "pnl": value must be a finite number; the call was dropped',
      'counter "fills_total": label "service" is a constant label and may not be set per call; the call was dropped',
      'counter "fills" must end in "_total"; the call was dropped',
    ]);
  });

  it("reset forgets everything", () => {
    const metrics = new InMemoryMetrics();
    metrics.incCounter("a_total", { x: "1" });
    metrics.incCounter("a_total", { y: "1" });
    metrics.reset();
    expect(metrics.calls).toEqual([]);
    expect(metrics.errors()).toEqual([]);
    metrics.incCounter("a_total", { y: "1" });
    expect(metrics.counter("a_total")).toBe(1);
  });

  it("validates constructor options", () => {
    expect(() => new InMemoryMetrics({ constantLabels: { "bad-name": "x" } })).toThrow(TypeError);
    expect(() => new InMemoryMetrics({ buckets: [1, 0.5] })).toThrow(/ascending/);
  });
});

describe("InMemoryMetrics exposition", () => {
  it("is empty before any recording", async () => {
    const exposition = await new InMemoryMetrics().exposition();
    expect(exposition).toEqual({ contentType: PROMETHEUS_TEXT_CONTENT_TYPE, body: "" });
  });

  it("renders counters, gauges and histograms with constant labels", async () => {
    const metrics = new InMemoryMetrics({ constantLabels, buckets: [0.1, 1] });
    metrics.describe("orders_total", "counter", { help: "Orders placed.\nBy side." });
    metrics.describe("decision_seconds", "histogram", {
      help: "Decision latency.",
      buckets: [0.5],
    });
    metrics.incCounter("orders_total", { side: "buy" }, 2);
    metrics.setGauge("open_positions", 3);
    metrics.observeHistogram("decision_seconds", 0.25);
    metrics.observeHistogram("decision_seconds", 0.75);
    metrics.observeHistogram("risk_check_seconds", 0.05, { limit: 'a"b' });
    const { body } = await metrics.exposition();
    expect(body).toBe(
      [
        "# HELP orders_total Orders placed.\\nBy side.",
        "# TYPE orders_total counter",
        'orders_total{side="buy",instance="svc-1",service="svc",version="1.2.3"} 2',
        "# HELP open_positions gauge open_positions",
        "# TYPE open_positions gauge",
        'open_positions{instance="svc-1",service="svc",version="1.2.3"} 3',
        "# HELP decision_seconds Decision latency.",
        "# TYPE decision_seconds histogram",
        'decision_seconds_bucket{le="0.5",instance="svc-1",service="svc",version="1.2.3"} 1',
        'decision_seconds_bucket{le="+Inf",instance="svc-1",service="svc",version="1.2.3"} 2',
        'decision_seconds_sum{instance="svc-1",service="svc",version="1.2.3"} 1',
        'decision_seconds_count{instance="svc-1",service="svc",version="1.2.3"} 2',
        "# HELP risk_check_seconds histogram risk_check_seconds",
        "# TYPE risk_check_seconds histogram",
        'risk_check_seconds_bucket{limit="a\\"b",le="0.1",instance="svc-1",service="svc",version="1.2.3"} 1',
        'risk_check_seconds_bucket{limit="a\\"b",le="1",instance="svc-1",service="svc",version="1.2.3"} 1',
        'risk_check_seconds_bucket{limit="a\\"b",le="+Inf",instance="svc-1",service="svc",version="1.2.3"} 1',
        'risk_check_seconds_sum{limit="a\\"b",instance="svc-1",service="svc",version="1.2.3"} 0.05',
        'risk_check_seconds_count{limit="a\\"b",instance="svc-1",service="svc",version="1.2.3"} 1',
        "",
      ].join("\n"),
    );
  });

  it("reports invalid described buckets and falls back to the defaults", async () => {
    const metrics = new InMemoryMetrics();
    metrics.describe("x_seconds", "histogram", { help: "X.", buckets: [2, 1] });
    metrics.observeHistogram("x_seconds", 0.001);
    expect(metrics.errors()).toEqual([
      'histogram "x_seconds": histogram bucket bounds must be strictly ascending',
    ]);
    const { body } = await metrics.exposition();
    expect(body).toContain('x_seconds_bucket{le="0.005"} 1');
    expect(body).toContain("# HELP x_seconds X.");
  });

  it("ignores a second describe and reports a kind conflict", () => {
    const metrics = new InMemoryMetrics();
    metrics.describe("a_total", "counter", { help: "First." });
    metrics.describe("a_total", "gauge", { help: "Second." });
    expect(metrics.errors()).toEqual([
      'metric "a_total" is a counter; using it as a gauge was refused',
    ]);
  });
});
