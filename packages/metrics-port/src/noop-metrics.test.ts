import { describe, expect, it } from "vitest";
import { PROMETHEUS_TEXT_CONTENT_TYPE } from "./exposition-format.js";
import type { MetricsPort } from "./metrics-port.js";
import { NoopMetrics } from "./noop-metrics.js";

describe("NoopMetrics", () => {
  it("records nothing, reports nothing and exposes an empty text body", async () => {
    const metrics: MetricsPort = new NoopMetrics();
    metrics.describe("a_total", "counter", { help: "A." });
    metrics.incCounter("a_total", { x: "1" }, 3);
    metrics.incCounter("not a name", undefined, -1);
    metrics.observeHistogram("b_seconds", Number.NaN);
    metrics.setGauge("c", 1);
    metrics.addGauge("c", -1);
    expect(metrics.errors()).toEqual([]);
    expect(await metrics.exposition("application/openmetrics-text")).toEqual({
      contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
      body: "",
    });
  });
});
