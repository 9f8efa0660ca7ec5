import { describe, expect, it } from "vitest";
import { EARLIEST_WINDOW_START, resolveWindow } from "./simulation-window.js";

const HOUR = 3_600_000;
const OPEN = Date.UTC(2026, 5, 1, 12); // start of the open 1h candle

describe("resolveWindow", () => {
  it("takes 100 closed periods before the open one by default", () => {
    expect(resolveWindow({ interval: "1h" }, OPEN, 10_000)).toEqual({
      interval: "1h",
      firstStart: OPEN - 100 * HOUR,
      end: OPEN,
      count: 100,
    });
  });

  it("never reaches into the open period, whatever end_time says", () => {
    const window = resolveWindow({ interval: "1h", to: OPEN + 5 * HOUR, dataPoints: 3 }, OPEN, 50);
    expect(window.end).toBe(OPEN);
  });

  it("takes every period starting in [start, end) with a start time, the latest with data_points", () => {
    const from = OPEN - 48 * HOUR + 1; // rounds up to the next whole hour
    const to = OPEN - 24 * HOUR - 1; // a period starting before it is in
    expect(resolveWindow({ interval: "1h", from, to }, OPEN, 10_000)).toEqual({
      interval: "1h",
      firstStart: OPEN - 47 * HOUR,
      end: OPEN - 24 * HOUR,
      count: 23,
    });
    expect(resolveWindow({ interval: "1h", from, to, dataPoints: 5 }, OPEN, 10_000)).toMatchObject({
      firstStart: OPEN - 29 * HOUR,
      count: 5,
    });
  });

  it.each([
    [{ dataPoints: 2 }, /^data_points/],
    [{ dataPoints: 51 }, /^data_points/],
    [{ dataPoints: 3.5 }, /^data_points/],
    [{ from: OPEN, to: OPEN - HOUR }, /^start_time must be before end_time/],
    [{ from: OPEN - 2 * HOUR }, /holds 2 closed 1h candles/],
    [{ from: OPEN + HOUR }, /holds 0 closed/],
    [{ from: OPEN - 60 * HOUR }, /more than the maximum of 50/],
    [{ to: EARLIEST_WINDOW_START + 10 * HOUR, dataPoints: 11 }, /before 0001-01-01/],
  ])("refuses %j", (request, message) => {
    expect(() => resolveWindow({ interval: "1h", ...request }, OPEN, 50)).toThrow(message);
  });
});
