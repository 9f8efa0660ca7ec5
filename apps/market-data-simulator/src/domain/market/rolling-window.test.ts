import { describe, expect, it } from "vitest";
import { RollingWindow } from "./rolling-window.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 23);

describe("RollingWindow", () => {
  it("reports the last 24 h only: open a day ago, extremes and volume inside the window", () => {
    const window = new RollingWindow();
    // 25 hours, one update a minute; the price climbs 1 per minute, volume 2 per update.
    for (let minute = 0; minute < 25 * 60; minute++)
      window.add(T0 + minute * MINUTE, 100 + minute, 2);
    const now = T0 + (25 * 60 - 1) * MINUTE;
    const stats = window.stats(now);
    // The window holds minutes 60 … 1499.
    expect(stats).toEqual({
      open: 160,
      high: 1599,
      low: 160,
      last: 1599,
      volume: 2 * 1440,
      change: 1439,
      changePercent: (1439 / 160) * 100,
    });
  });

  it("forgets everything older than the window, even when asked later without updates", () => {
    const window = new RollingWindow(HOUR, MINUTE);
    window.add(T0, 50, 1);
    window.add(T0 + 30 * MINUTE, 70, 1);
    expect(window.stats(T0 + 59 * MINUTE)).toMatchObject({ open: 50, last: 70, volume: 2 });
    expect(window.stats(T0 + 61 * MINUTE)).toMatchObject({
      open: 70,
      high: 70,
      low: 70,
      volume: 1,
    });
    expect(window.stats(T0 + 2 * HOUR)).toBeUndefined();
  });

  it("folds several updates of one bucket, and refuses going back in time", () => {
    const window = new RollingWindow(HOUR, MINUTE);
    window.add(T0, 10, 1);
    window.add(T0 + 10_000, 12, 1);
    window.add(T0 + 20_000, 9, 1);
    expect(window.stats(T0 + 30_000)).toMatchObject({
      open: 10,
      high: 12,
      low: 9,
      last: 9,
      volume: 3,
    });
    expect(() => window.add(T0 - MINUTE, 10, 1)).toThrow(RangeError);
    expect(() => new RollingWindow(90_000, MINUTE)).toThrow(RangeError);
  });

  it("sums volumes on the stores' 8 decimals, without float noise", () => {
    const window = new RollingWindow();
    for (const [minute, quantity] of [
      [0, 0.1],
      [0, 0.2],
      [1, 20.01],
      [2, 0.00000001],
    ] as const) {
      window.add(T0 + minute * MINUTE, 100, quantity);
    }
    // 0.1 + 0.2 + 20.01 + 1e-8 is 20.310000010000003 in floats.
    expect(window.stats(T0 + 2 * MINUTE)?.volume).toBe(20.31000001);
  });
});
