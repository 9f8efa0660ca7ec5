import { describe, expect, it } from "vitest";
import { constantMetricLabels } from "./constant-labels.js";

describe("constantMetricLabels", () => {
  it("sorts and freezes valid constant labels", () => {
    const labels = constantMetricLabels({ version: "1", service: "svc", instance: "svc-1" });
    expect(Object.keys(labels)).toEqual(["instance", "service", "version"]);
    expect(Object.isFrozen(labels)).toBe(true);
  });

  it("requires service, instance and version and valid names", () => {
    const valid = { service: "svc", instance: "svc-1", version: "1" };
    expect(() => constantMetricLabels({ ...valid, service: "" })).toThrow(
      'constant label "service" must be a non-empty string',
    );
    const missing = { service: "svc", version: "1" } as unknown as typeof valid;
    expect(() => constantMetricLabels(missing)).toThrow(/"instance"/);
    expect(() => constantMetricLabels({ ...valid, "bad-name": "x" })).toThrow(TypeError);
  });
});
