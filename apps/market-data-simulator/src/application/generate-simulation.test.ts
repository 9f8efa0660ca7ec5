import { describe, expect, it } from "vitest";
import { MarketSimulator } from "../domain/engine/market-simulator.js";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import { CandleHistory } from "./candle-history.js";
import {
  type SimulationRequest,
  SimulationRequestError,
  SimulationService,
} from "./generate-simulation.js";

// generate-simulation-rpc.test.ts covers the sources, windows and tick grid through both APIs;
// this file pins the service's own contract: ids, seeds, the shape of the simulated candles,
// the price bounds and its errors' kinds.

const T0 = Date.UTC(2026, 10, 23);
const MINUTE = 60_000;

/** A simulator 30 minutes and 30 s in (its 1m candles of the last 30 s are open). */
function service(runSeed = 9) {
  const simulator = new MarketSimulator({
    // LOW-USD trades just above its floor of 100 ticks (1.00), where a simulation reaches it.
    universe: buildUniverse(["BTC-USD", "LOW-USD"], { "LOW-USD": { initialPrice: 1.1 } }),
    seed: 9,
    startTime: T0,
  });
  for (let t = T0 + 5_000; t <= T0 + 30 * MINUTE + 30_000; t += 5_000) simulator.advance(t);
  return new SimulationService(simulator, new CandleHistory(simulator), runSeed, 1_000);
}

const REQUEST: SimulationRequest = {
  symbol: "BTC-USD",
  model: "BROWNIAN_MOTION",
  interval: "1m",
  dataPoints: 20,
  parameters: { volatilityFactor: 1, trendFactor: 1, noiseLevel: 0 },
};

async function kindOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof SimulationRequestError) return error.kind;
    throw error;
  }
  return "not refused";
}

describe("SimulationService.generate", () => {
  it("numbers its simulations and derives a different seed for each when none is given", async () => {
    const simulations = service();
    const first = await simulations.generate(REQUEST);
    const second = await simulations.generate(REQUEST);
    expect([first.id, second.id]).toEqual(["sim-1", "sim-2"]);
    expect(first.seed).not.toBe(second.seed);
    expect(first.historical).toEqual(second.historical);
  });

  it("uses a given seed, and the same seed gives the same series", async () => {
    const simulations = service();
    const a = await simulations.generate({ ...REQUEST, seed: 42 });
    const b = await simulations.generate({ ...REQUEST, seed: 42 });
    const c = await simulations.generate({ ...REQUEST, seed: 43 });
    expect(a.seed).toBe(42);
    expect(b.simulated).toEqual(a.simulated);
    expect(c.simulated).not.toEqual(a.simulated);
  });

  it("chains simulated candles from the first historical open, high and low spanning open and close", async () => {
    const { historical, simulated } = await service().generate({ ...REQUEST, seed: 1 });
    expect(simulated).toHaveLength(20);
    expect(simulated[0]?.open).toBe(historical[0]?.open);
    for (const [i, candle] of simulated.entries()) {
      expect(candle).toMatchObject({
        symbol: "BTC-USD",
        interval: "1m",
        start: historical[i]?.start,
        high: Math.max(candle.open, candle.close),
        low: Math.min(candle.open, candle.close),
        volume: 0,
        trades: 0,
      });
      if (i > 0) expect(candle.open).toBe(simulated[i - 1]?.close);
    }
  });

  it("keeps the simulated prices on the tick within the symbol's price bounds", async () => {
    const wild = { volatilityFactor: 10, trendFactor: 1, noiseLevel: 0.1 };
    const simulations = service();
    const lows: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { simulated } = await simulations.generate({
        ...REQUEST,
        symbol: "LOW-USD",
        parameters: wild,
        seed,
      });
      for (const candle of simulated) {
        lows.push(candle.low);
        expect(Math.round(candle.close * 100) / 100).toBe(candle.close);
        expect(candle.high).toBeLessThanOrEqual(10_000_000_000);
      }
    }
    expect(Math.min(...lows)).toBe(1);
  });

  it("refuses an unknown symbol as not_found, bad parameters and windows (beyond its maximum) as invalid", async () => {
    const simulations = service();
    expect(await kindOf(simulations.generate({ ...REQUEST, symbol: "DOGE-USD" }))).toBe(
      "not_found",
    );
    expect(
      await kindOf(
        simulations.generate({ ...REQUEST, parameters: { ...REQUEST.parameters, noiseLevel: 1 } }),
      ),
    ).toBe("invalid");
    expect(await kindOf(simulations.generate({ ...REQUEST, dataPoints: 2 }))).toBe("invalid");
    expect(await kindOf(simulations.generate({ ...REQUEST, dataPoints: 1_001 }))).toBe("invalid");
    const backwards = { from: T0 + 10 * MINUTE, to: T0 + 5 * MINUTE };
    expect(await kindOf(simulations.generate({ ...REQUEST, ...backwards }))).toBe("invalid");
  });

  it("counts only the simulations it made", async () => {
    const simulations = service();
    await kindOf(simulations.generate({ ...REQUEST, symbol: "DOGE-USD" }));
    expect((await simulations.generate(REQUEST)).id).toBe("sim-1");
  });
});
