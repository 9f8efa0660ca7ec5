import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isValidLabelName,
  labelNamesOf,
  labelProblems,
  labelsMatch,
  mergeLabels,
  metricLabels,
} from "./metric-labels.js";

describe("isValidLabelName", () => {
  it("accepts Prometheus label names and rejects the rest", () => {
    for (const name of ["method", "_x", "code2", "A_b"]) expect(isValidLabelName(name)).toBe(true);
    for (const name of ["", "2x", "a:b", "a-b", "__name__", "__x", "ü"]) {
      expect(isValidLabelName(name)).toBe(false);
    }
  });

  it("agrees with the pattern for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const expected = /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) && !name.startsWith("__");
        expect(isValidLabelName(name)).toBe(expected);
      }),
    );
  });
});

describe("labelProblems", () => {
  it("is empty for valid label sets and undefined", () => {
    expect(labelProblems({ method: "GET", route: "/x" })).toEqual([]);
    expect(labelProblems({})).toEqual([]);
    expect(labelProblems(undefined)).toEqual([]);
  });

  it("names invalid label names and non-string values without quoting values", () => {
    const problems = labelProblems({ "bad-name": "v", count: 3, ok: "x" });
    expect(problems).toEqual([
      'label name "bad-name" must match ^[a-zA-Z_][a-zA-Z0-9_]*$ and not start with "__"',
      'label "count" must have a string value, not a number',
    ]);
  });

  it("rejects non-objects", () => {
    expect(labelProblems(null)).toHaveLength(1);
    expect(labelProblems(["a"])).toHaveLength(1);
    expect(labelProblems("method")).toHaveLength(1);
  });
});

describe("metricLabels", () => {
  it("returns a frozen copy with sorted names", () => {
    const input = { version: "1.0.0", service: "svc", instance: "svc-1" };
    const labels = metricLabels(input);
    expect(Object.keys(labels)).toEqual(["instance", "service", "version"]);
    expect(Object.isFrozen(labels)).toBe(true);
    expect(labels).not.toBe(input);
  });

  it("throws on an invalid label set", () => {
    expect(() => metricLabels({ "a-b": "x" })).toThrow(TypeError);
    expect(() => metricLabels({ __name__: "x" })).toThrow(/__/);
  });
});

describe("mergeLabels", () => {
  const constant = { service: "svc", instance: "svc-1", version: "1.0.0" };

  it("adds the constant labels to the per-call labels", () => {
    expect(mergeLabels(constant, { method: "GET" })).toEqual({
      labels: { method: "GET", service: "svc", instance: "svc-1", version: "1.0.0" },
      conflicts: [],
    });
    expect(mergeLabels(constant, undefined)).toEqual({ labels: constant, conflicts: [] });
  });

  it("never lets a per-call label override a constant one, and reports it", () => {
    const merged = mergeLabels(constant, { version: "9", service: "evil", method: "GET" });
    expect(merged.labels).toEqual({ ...constant, method: "GET" });
    expect(merged.conflicts).toEqual(["service", "version"]);
  });

  it("keeps constant values for any input (property)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.string()),
        fc.dictionary(fc.string(), fc.string()),
        (constantLabels, perCall) => {
          const { labels, conflicts } = mergeLabels(constantLabels, perCall);
          for (const [name, value] of Object.entries(constantLabels)) {
            expect(labels[name]).toBe(value);
          }
          for (const name of conflicts) expect(Object.hasOwn(constantLabels, name)).toBe(true);
          const expectedConflicts = Object.keys(perCall).filter((name) =>
            Object.hasOwn(constantLabels, name),
          );
          expect(conflicts).toEqual(expectedConflicts.sort());
        },
      ),
    );
  });
});

describe("labelNamesOf and labelsMatch", () => {
  it("sorts label names", () => {
    expect(labelNamesOf({ route: "/", code: "200", method: "GET" })).toEqual([
      "code",
      "method",
      "route",
    ]);
    expect(labelNamesOf(undefined)).toEqual([]);
  });

  it("matches a series against a partial selector", () => {
    const series = { method: "GET", route: "/a", code: "200" };
    expect(labelsMatch(series, undefined)).toBe(true);
    expect(labelsMatch(series, {})).toBe(true);
    expect(labelsMatch(series, { method: "GET" })).toBe(true);
    expect(labelsMatch(series, { method: "POST" })).toBe(false);
    expect(labelsMatch(series, { other: "x" })).toBe(false);
  });
});
