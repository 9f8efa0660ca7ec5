import { describe, expect, it } from "vitest";
import { SchemaGuard } from "./schema-guard.js";

describe("SchemaGuard", () => {
  it("fixes kind and sorted label names on first use", () => {
    const guard = new SchemaGuard();
    const schema = guard.admit("counter", "orders_total", { side: "buy", status: "new" }, 1);
    expect(schema).toEqual({
      name: "orders_total",
      kind: "counter",
      labelNames: ["side", "status"],
    });
    expect(guard.schema("orders_total")?.labelNames).toEqual(["side", "status"]);
    expect(
      guard.admit("counter", "orders_total", { status: "filled", side: "sell" }, 2),
    ).toBeDefined();
    expect(guard.errors()).toEqual([]);
    expect(guard.schemas().map((s) => s.name)).toEqual(["orders_total"]);
  });

  it("reports a label-name mismatch and refuses the call", () => {
    const guard = new SchemaGuard();
    guard.admit("counter", "orders_total", { side: "buy" }, 1);
    expect(guard.admit("counter", "orders_total", { side: "buy", extra: "x" }, 1)).toBeUndefined();
    expect(guard.admit("counter", "orders_total", {}, 1)).toBeUndefined();
    expect(guard.admit("counter", "orders_total", undefined, 1)).toBeUndefined();
    expect(guard.errors()).toEqual([
      'counter "orders_total" has label names [side]; a call with [extra, side] was dropped',
      'counter "orders_total" has label names [side]; a call with [] was dropped',
    ]);
  });

  it("reports a kind conflict", () => {
    const guard = new SchemaGuard();
    guard.admit("gauge", "queue_depth", undefined, 3);
    expect(guard.admit("histogram", "queue_depth", undefined, 3)).toBeUndefined();
    expect(guard.errors()).toEqual([
      'metric "queue_depth" is a gauge; using it as a histogram was refused',
    ]);
  });

  it("reports negative counter increments and non-finite values without quoting them", () => {
    const guard = new SchemaGuard();
    expect(guard.admit("counter", "fills_total", undefined, -1)).toBeUndefined();
    expect(guard.admit("counter", "fills_total", undefined, -2.5)).toBeUndefined();
    expect(guard.admit("gauge", "pnl", undefined, Number.NaN)).toBeUndefined();
    expect(
      guard.admit("histogram", "lat_seconds", undefined, Number.POSITIVE_INFINITY),
    ).toBeUndefined();
    expect(guard.errors()).toEqual([
      'counter "fills_total": an increment must not be negative (counters only go up); the call was dropped',
      'gauge "pnl": value must be a finite number; the call was dropped',
      'histogram "lat_seconds": value must be a finite number; the call was dropped',
    ]);
    // Negative gauge values and zero counter increments are fine.
    expect(guard.admit("gauge", "pnl", undefined, -10)).toBeDefined();
    expect(guard.admit("counter", "fills_total", undefined, 0)).toBeDefined();
  });

  it("deduplicates messages and keeps them in order", () => {
    const guard = new SchemaGuard();
    guard.admit("counter", "a_total", { x: "1" }, 1);
    for (let i = 0; i < 5; i++) guard.admit("counter", "a_total", { y: String(i) }, 1);
    guard.report("custom");
    guard.report("custom");
    expect(guard.errors()).toHaveLength(2);
    expect(guard.errors()[1]).toBe("custom");
  });

  it("caps the number of kept messages", () => {
    const guard = new SchemaGuard({ maxErrors: 3 });
    for (let i = 0; i < 10; i++) guard.report(`error ${i}`);
    expect(guard.errors()).toEqual([
      "error 0",
      "error 1",
      "error 2",
      "more than 3 distinct metrics errors; further ones are not kept",
    ]);
  });

  it("refuses unconventional names, invalid labels, constant labels and le on histograms", () => {
    const guard = new SchemaGuard({ constantLabelNames: ["service", "instance", "version"] });
    expect(guard.admit("counter", "requests", undefined, 1)).toBeUndefined();
    expect(guard.admit("gauge", "handles_total", undefined, 1)).toBeUndefined();
    expect(guard.admit("counter", "x_total", { "bad-label": "v" }, 1)).toBeUndefined();
    expect(guard.admit("counter", "y_total", { service: "other" }, 1)).toBeUndefined();
    expect(guard.admit("histogram", "z_seconds", { le: "1" }, 1)).toBeUndefined();
    expect(guard.schemas()).toEqual([]);
    expect(guard.errors()).toEqual([
      'counter "requests" must end in "_total"; the call was dropped',
      'gauge "handles_total" must not end in "_total" (only counters do); the call was dropped',
      'counter "x_total": label name "bad-label" must match ^[a-zA-Z_][a-zA-Z0-9_]*$ and not start with "__"; the call was dropped',
      'counter "y_total": label "service" is a constant label and may not be set per call; the call was dropped',
      'histogram "z_seconds": label "le" is reserved for bucket bounds; the call was dropped',
    ]);
  });

  it("reports a non-string label value on an existing metric", () => {
    const guard = new SchemaGuard();
    guard.admit("counter", "a_total", { code: "200" }, 1);
    const labels = { code: 200 } as unknown as Record<string, string>;
    expect(guard.admit("counter", "a_total", labels, 1)).toBeUndefined();
    expect(guard.errors()).toEqual([
      'counter "a_total": label "code" must have a string value, not a number',
    ]);
  });

  it("declare fixes the kind before first use", () => {
    const guard = new SchemaGuard();
    expect(guard.declare("lat_seconds", "histogram")).toBe(true);
    expect(guard.declare("lat_seconds", "histogram")).toBe(true);
    expect(guard.declare("lat_seconds", "gauge")).toBe(false);
    expect(guard.admit("gauge", "lat_seconds", undefined, 1)).toBeUndefined();
    expect(guard.admit("histogram", "lat_seconds", undefined, 1)).toBeDefined();
    expect(guard.declare("bad_name", "counter")).toBe(false);
    expect(guard.errors()).toEqual([
      'metric "lat_seconds" is a histogram; using it as a gauge was refused',
      'counter "bad_name" must end in "_total"',
    ]);
  });
});
