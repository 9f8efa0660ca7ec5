import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertMetricName, isValidMetricName, metricNameProblems } from "./metric-name.js";

describe("isValidMetricName", () => {
  it("accepts Prometheus metric names", () => {
    for (const name of ["http_requests_total", "a", "_x", "ns:sub:metric", "A1_b2"]) {
      expect(isValidMetricName(name)).toBe(true);
    }
  });

  it("rejects invalid characters, a leading digit and the reserved __ prefix", () => {
    for (const name of ["", "1abc", "http-requests", "a b", "é", "__internal", "a.b"]) {
      expect(isValidMetricName(name)).toBe(false);
    }
  });

  it("agrees with the Prometheus pattern for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const expected = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name) && !name.startsWith("__");
        expect(isValidMetricName(name)).toBe(expected);
      }),
    );
  });
});

describe("metricNameProblems", () => {
  it("has no problem with conventional names", () => {
    expect(metricNameProblems("http_requests_total", "counter")).toEqual([]);
    expect(metricNameProblems("http_requests_in_flight", "gauge")).toEqual([]);
    expect(metricNameProblems("http_request_duration_seconds", "histogram")).toEqual([]);
  });

  it("requires counters to end in _total and nothing else to", () => {
    expect(metricNameProblems("http_requests", "counter")).toEqual([
      'counter "http_requests" must end in "_total"',
    ]);
    expect(metricNameProblems("nodejs_active_handles_total", "gauge")).toEqual([
      'gauge "nodejs_active_handles_total" must not end in "_total" (only counters do)',
    ]);
    expect(metricNameProblems("latency_total", "histogram")).toHaveLength(1);
  });

  it("reserves the histogram series suffixes", () => {
    expect(metricNameProblems("queue_count", "gauge")[0]).toContain('"_count"');
    expect(metricNameProblems("latency_bucket", "histogram")[0]).toContain('"_bucket"');
    expect(metricNameProblems("latency_sum", "histogram")[0]).toContain('"_sum"');
  });

  it("reports syntax errors alone", () => {
    expect(metricNameProblems("bad-name_total", "counter")).toEqual([
      'metric name "bad-name_total" must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$',
    ]);
    expect(metricNameProblems("", "gauge")).toEqual(["a metric name must be a non-empty string"]);
    expect(metricNameProblems("__x_total", "counter")[0]).toContain("reserved");
  });

  it("assertMetricName throws the first problem", () => {
    expect(() => assertMetricName("orders", "counter")).toThrow(TypeError);
    expect(() => assertMetricName("orders_total", "counter")).not.toThrow();
  });
});
