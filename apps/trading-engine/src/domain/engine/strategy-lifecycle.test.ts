import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canTransition, resolveStrategyLimits, type StrategyStatus } from "./strategy-lifecycle.js";

const STATUSES: readonly StrategyStatus[] = ["inactive", "active", "paused", "stopped", "error"];

describe("canTransition", () => {
  it("allows exactly INACTIVE → ACTIVE ⇄ PAUSED → STOPPED, and ERROR from any live status", () => {
    const allowed = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      "inactive→active",
      "inactive→paused",
      "inactive→stopped",
      "inactive→error",
      "active→paused",
      "active→stopped",
      "active→error",
      "paused→active",
      "paused→stopped",
      "paused→error",
    ]);
  });

  it("keeps STOPPED and ERROR final and never goes back to INACTIVE or to the same status", () => {
    for (const to of STATUSES) {
      expect(canTransition("stopped", to)).toBe(false);
      expect(canTransition("error", to)).toBe(false);
    }
    for (const status of STATUSES) {
      expect(canTransition(status, "inactive")).toBe(false);
      expect(canTransition(status, status)).toBe(false);
    }
  });
});

describe("resolveStrategyLimits", () => {
  it("turns every limit off (0) and opens 50 orders when nothing is set", () => {
    expect(resolveStrategyLimits()).toEqual({
      maxPosition: 0,
      maxNotional: 0,
      maxOpenOrders: 50,
      maxLoss: 0,
    });
    expect(resolveStrategyLimits({ maxOpenOrders: 0 }).maxOpenOrders).toBe(50);
  });

  it("keeps every finite limit ≥ 0 as given", () => {
    const limit = fc.double({ min: 0, max: 1e12, noNaN: true });
    fc.assert(
      fc.property(limit, limit, limit, fc.integer({ min: 1, max: 10_000 }), (p, n, l, o) => {
        expect(
          resolveStrategyLimits({ maxPosition: p, maxNotional: n, maxLoss: l, maxOpenOrders: o }),
        ).toEqual({ maxPosition: p, maxNotional: n, maxOpenOrders: o, maxLoss: l });
      }),
    );
  });

  it.each([
    ["maxPosition", "max_position"],
    ["maxNotional", "max_notional"],
    ["maxLoss", "max_loss"],
    ["maxOpenOrders", "max_open_orders"],
  ] as const)("refuses a negative or non-finite %s, naming %s", (key, field) => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveStrategyLimits({ [key]: value })).toThrow(
        new RangeError(`limits.${field} must be a finite number ≥ 0 (got ${value})`),
      );
    }
  });

  it("refuses a fractional number of open orders", () => {
    expect(() => resolveStrategyLimits({ maxOpenOrders: 2.5 })).toThrow(
      "limits.max_open_orders must be an integer",
    );
  });
});
