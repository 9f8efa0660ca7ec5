import { describe, expect, it } from "vitest";
import {
  escapeHelp,
  escapeLabelValue,
  formatLabelSet,
  formatSampleValue,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_TEXT_CONTENT_TYPE,
} from "./exposition-format.js";
import { bucketProblems, DEFAULT_HISTOGRAM_BUCKETS } from "./histogram-buckets.js";

describe("exposition format helpers", () => {
  it("names the two content types", () => {
    expect(PROMETHEUS_TEXT_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(OPENMETRICS_CONTENT_TYPE).toBe(
      "application/openmetrics-text; version=1.0.0; charset=utf-8",
    );
  });

  it("formats special values", () => {
    expect(formatSampleValue(1)).toBe("1");
    expect(formatSampleValue(0.25)).toBe("0.25");
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe("+Inf");
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
    expect(formatSampleValue(Number.NaN)).toBe("NaN");
  });

  it("escapes help texts and label values", () => {
    expect(escapeHelp('a\\b\nc"')).toBe('a\\\\b\\nc"');
    expect(escapeLabelValue('a\\b\nc"')).toBe('a\\\\b\\nc\\"');
    expect(formatLabelSet({})).toBe("");
    expect(formatLabelSet({ a: "1", b: 'x"y' })).toBe('{a="1",b="x\\"y"}');
  });
});

describe("histogram buckets", () => {
  it("defaults to 5 ms … 10 s", () => {
    expect(DEFAULT_HISTOGRAM_BUCKETS).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
    expect(Object.isFrozen(DEFAULT_HISTOGRAM_BUCKETS)).toBe(true);
    expect(bucketProblems(DEFAULT_HISTOGRAM_BUCKETS)).toEqual([]);
  });

  it("rejects empty, non-finite and non-ascending bounds", () => {
    expect(bucketProblems([])).toHaveLength(1);
    expect(bucketProblems([1, Number.POSITIVE_INFINITY])).toEqual([
      "histogram bucket bounds must be finite numbers (+Inf is implicit)",
    ]);
    expect(bucketProblems([1, 1])).toEqual(["histogram bucket bounds must be strictly ascending"]);
  });
});
