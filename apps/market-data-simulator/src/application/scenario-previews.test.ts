import { describe, expect, it } from "vitest";
import type { MarketQuote } from "../domain/engine/market-simulator.js";
import type { ScenarioPreviewPoint } from "../domain/scenarios/scenario-preview.js";
import { withDailyFigures } from "./scenario-previews.js";

const T0 = Date.UTC(2026, 10, 23);

describe("withDailyFigures", () => {
  it("continues the live 24h figures along the path, point by point", () => {
    const quote = {
      last: 100,
      change24h: 10,
      high24h: 110,
      low24h: 85,
      volume24h: 1_000,
    } as MarketQuote;
    const point = (minutes: number, price: number): ScenarioPreviewPoint =>
      ({ timestamp: T0 + minutes * 60_000, price, volume: 5 }) as ScenarioPreviewPoint;
    const path = [point(0, 120), point(0.5, 80), point(1, 95)];
    const walked = [...withDailyFigures(quote, T0, path)];
    expect(walked.map(({ point }) => point.price)).toEqual([120, 80, 95]);
    expect(walked[0]?.stats).toMatchObject({ open: 90, high: 120, low: 85, volume: 1_005 });
    expect(walked[0]?.stats?.change).toBe(30);
    expect(walked[1]?.stats).toMatchObject({ high: 120, low: 80, volume: 1_010, change: -10 });
    // The live figures entered a day before the path's start: a minute in, they leave the window.
    expect(walked[2]?.stats).toMatchObject({ open: 120, high: 120, low: 80, volume: 15 });
  });
});
