import { describe, expect, it } from "vitest";
import { otlpMetricsUrl } from "./otlp-endpoint.js";

describe("otlpMetricsUrl", () => {
  it("appends v1/metrics to the base path", () => {
    expect(otlpMetricsUrl("http://collector:4318")).toBe("http://collector:4318/v1/metrics");
    expect(otlpMetricsUrl("http://collector:4318/")).toBe("http://collector:4318/v1/metrics");
    expect(otlpMetricsUrl("https://host/otlp")).toBe("https://host/otlp/v1/metrics");
    expect(otlpMetricsUrl("https://host/otlp/?tenant=a")).toBe(
      "https://host/otlp/v1/metrics?tenant=a",
    );
  });

  it("refuses anything but an http(s) URL without quoting it", () => {
    for (const endpoint of ["collector:4318", "grpc://collector:4317", "", "ftp://u:secret@h"]) {
      expect(() => otlpMetricsUrl(endpoint)).toThrow(
        "the OTLP endpoint must be an http:// or https:// URL",
      );
    }
  });
});
