import { describe, expect, it } from "vitest";
import { prefersOpenMetrics } from "./content-negotiation.js";

describe("prefersOpenMetrics", () => {
  it("chooses OpenMetrics for Prometheus' scrape header", () => {
    expect(
      prefersOpenMetrics(
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      ),
    ).toBe(true);
    expect(prefersOpenMetrics("application/openmetrics-text")).toBe(true);
    expect(prefersOpenMetrics("Application/OpenMetrics-Text; Version=1.0.0")).toBe(true);
    expect(prefersOpenMetrics('application/openmetrics-text; version="0.0.1"')).toBe(true);
  });

  it("chooses the text format otherwise", () => {
    for (const accept of [
      undefined,
      "",
      "*/*",
      "text/plain",
      "text/plain;version=0.0.4",
      "text/html,application/xhtml+xml,*/*;q=0.8",
      "application/openmetrics-text;q=0",
      "application/openmetrics-text;version=2.0.0",
      "application/openmetrics-text;q=0.4,text/plain;q=0.5",
      "application/openmetrics-text;q=garbage",
      "text/plain, application/openmetrics-text",
      ",;;=,",
    ]) {
      expect(prefersOpenMetrics(accept), String(accept)).toBe(false);
    }
  });

  it("breaks quality ties by order", () => {
    expect(prefersOpenMetrics("application/openmetrics-text, text/plain")).toBe(true);
    expect(prefersOpenMetrics("text/plain;q=0.5, application/openmetrics-text;q=0.5")).toBe(false);
    expect(prefersOpenMetrics("text/plain;q=0.5, application/openmetrics-text;q=0.6")).toBe(true);
  });
});
