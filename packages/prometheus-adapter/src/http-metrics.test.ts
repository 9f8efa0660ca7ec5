import { InMemoryMetrics } from "@tse/metrics-port";
import { describe, expect, it } from "vitest";
import { findSamples, sampleValue } from "./exposition.test-helper.js";
import { createHttpMetrics, normalizeHttpMethod } from "./http-metrics.js";
import { createPrometheusMetrics } from "./prometheus-metrics.js";

function fakeClock() {
  let time = 1_000;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

describe("normalizeHttpMethod", () => {
  it("upper-cases standard verbs and maps the rest to OTHER", () => {
    expect(normalizeHttpMethod("get")).toBe("GET");
    expect(normalizeHttpMethod("PATCH")).toBe("PATCH");
    expect(normalizeHttpMethod("Options")).toBe("OPTIONS");
    expect(normalizeHttpMethod("PROPFIND")).toBe("OTHER");
    expect(normalizeHttpMethod("")).toBe("OTHER");
    expect(normalizeHttpMethod(undefined)).toBe("OTHER");
  });
});

describe("createHttpMetrics on any MetricsPort", () => {
  it("records RED metrics with route templates", () => {
    const metrics = new InMemoryMetrics();
    const clock = fakeClock();
    const http = createHttpMetrics(metrics, { now: clock.now });

    const first = http.begin("get");
    const second = http.begin("GET");
    expect(metrics.gauge("http_requests_in_flight", { method: "GET" })).toBe(2);
    clock.advance(120);
    first.end("/api/v1/market/price/:asset", 200);
    clock.advance(30);
    second.end("/api/v1/market/price/:asset", 404);
    const third = http.begin("brew");
    third.end(undefined, 500);

    expect(metrics.gauge("http_requests_in_flight", { method: "GET" })).toBe(0);
    expect(metrics.gauge("http_requests_in_flight", { method: "OTHER" })).toBe(0);
    const route = "/api/v1/market/price/:asset";
    expect(metrics.counter("http_requests_total", { method: "GET", route, code: "200" })).toBe(1);
    expect(metrics.counter("http_requests_total", { method: "GET", route, code: "404" })).toBe(1);
    expect(
      metrics.counter("http_requests_total", { method: "OTHER", route: "unknown", code: "500" }),
    ).toBe(1);
    expect(metrics.counter("http_request_errors_total")).toBe(2);
    expect(metrics.counter("http_request_errors_total", { code: "404", route })).toBe(1);
    expect(metrics.counter("http_request_errors_total", { code: "200" })).toBe(0);
    expect(metrics.histogram("http_request_duration_seconds", { method: "GET", route })).toEqual([
      0.12, 0.15,
    ]);
    expect(metrics.histogram("http_request_duration_seconds", { route: "unknown" })).toEqual([0]);
    expect(metrics.errors()).toEqual([]);
  });

  it("makes end idempotent", () => {
    const metrics = new InMemoryMetrics();
    const http = createHttpMetrics(metrics);
    const timer = http.begin("POST");
    timer.end("/api/v1/orders", 201);
    timer.end("/api/v1/orders", 500);
    timer.end(undefined, 200);
    expect(metrics.counter("http_requests_total")).toBe(1);
    expect(metrics.counter("http_request_errors_total")).toBe(0);
    expect(metrics.gauge("http_requests_in_flight", { method: "POST" })).toBe(0);
    expect(metrics.histogram("http_request_duration_seconds")).toHaveLength(1);
  });

  it("bounds the code label and treats an empty route as unknown", () => {
    const metrics = new InMemoryMetrics();
    const http = createHttpMetrics(metrics);
    http.begin("GET").end("", 0);
    http.begin("GET").end("/x", 200.5);
    http.begin("GET").end("/x", 600);
    expect(metrics.counter("http_requests_total", { route: "unknown", code: "unknown" })).toBe(1);
    expect(metrics.counter("http_requests_total", { route: "/x", code: "unknown" })).toBe(2);
    expect(metrics.counter("http_request_errors_total")).toBe(0);
  });

  it("renders through the Prometheus adapter with help texts and the latency buckets", async () => {
    const metrics = createPrometheusMetrics({
      constantLabels: { service: "svc", instance: "svc", version: "0.1.0" },
      defaultMetrics: false,
    });
    const clock = fakeClock();
    const http = createHttpMetrics(metrics, { now: clock.now });
    const timer = http.begin("GET");
    clock.advance(7);
    timer.end("/api/v1/health", 503);
    const { body } = await metrics.exposition();
    const labels = { method: "GET", route: "/api/v1/health" };
    expect(sampleValue(body, "http_requests_total", { ...labels, code: "503" })).toBe(1);
    expect(sampleValue(body, "http_request_errors_total", { ...labels, code: "503" })).toBe(1);
    expect(sampleValue(body, "http_requests_in_flight", { method: "GET" })).toBe(0);
    expect(
      sampleValue(body, "http_request_duration_seconds_bucket", { ...labels, le: "0.005" }),
    ).toBe(0);
    expect(
      sampleValue(body, "http_request_duration_seconds_bucket", { ...labels, le: "0.01" }),
    ).toBe(1);
    expect(sampleValue(body, "http_request_duration_seconds_sum", labels)).toBeCloseTo(0.007, 10);
    expect(findSamples(body, "http_request_duration_seconds_bucket", labels)).toHaveLength(12);
    expect(body).toContain("# HELP http_requests_total HTTP requests served");
    expect(body).toContain("# HELP http_requests_in_flight HTTP requests being served, by method.");
    for (const sample of findSamples(body, "http_requests_total")) {
      expect(sample.labels).toMatchObject({ service: "svc", instance: "svc", version: "0.1.0" });
    }
    expect(metrics.errors()).toEqual([]);
  });
});
