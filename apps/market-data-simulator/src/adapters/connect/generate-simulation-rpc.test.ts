import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import {
  MarketDataService as LegacyMarketDataService,
  SimulationType,
} from "@tse/proto/marketdata/market_data_pb";
import {
  type Candle,
  HistoricalSource,
  Interval,
  MarketDataService,
  SimulationModel,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { describe, expect, it } from "vitest";
import { CandleHistory } from "../../application/candle-history.js";
import { SimulationService } from "../../application/generate-simulation.js";
import { createCandleHub, createQuoteHub } from "../../application/market-streams.js";
import { ScenarioBook } from "../../application/scenario-book.js";
import { MarketSimulator } from "../../domain/engine/market-simulator.js";
import { buildUniverse } from "../../domain/market/symbol-universe.js";
import { registerLegacyMarketData } from "./legacy-market-data-service.js";
import { registerMarketDataV1 } from "./market-data-v1-service.js";

const T0 = Date.UTC(2026, 10, 23);
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Six hours and 30 s of simulated history (the 1m candle of the last 30 s is open). */
function setup() {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD", "ETH-USD", "SOL-USD"]),
    seed: 9,
    startTime: T0,
  });
  for (let t = T0 + 5_000; t <= T0 + 6 * HOUR + 30_000; t += 5_000) simulator.advance(t);
  const limits = { maxSubscribers: 10, maxSymbolsPerSubscription: 10 };
  const hub = createQuoteHub(limits);
  const candleHub = createCandleHub(limits);
  const history = new CandleHistory(simulator);
  const simulations = new SimulationService(simulator, history, 9, 10_000);
  const transport = createRouterTransport((router) => {
    registerMarketDataV1(router, {
      simulator,
      hub,
      candleHub,
      simulations,
      history,
      scenarios: new ScenarioBook(simulator, { maxActive: 10 }),
    });
    registerLegacyMarketData(router, {
      simulator,
      hub,
      simulations,
      source: "test",
      details: {},
    });
  });
  return {
    simulator,
    client: createClient(MarketDataService, transport),
    legacy: createClient(LegacyMarketDataService, transport),
  };
}

async function errorOf(call: Promise<unknown>): Promise<ConnectError | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

const startOf = (candle: Candle | undefined) =>
  candle?.startTime === undefined ? Number.NaN : timestampMs(candle.startTime);
const onTick = (price: number, tick = 0.01) =>
  Math.abs(price / tick - Math.round(price / tick)) < 1e-6;

describe("GenerateSimulation history (marketdata.v1)", () => {
  it("reports RECORDED for candles the simulator holds, and only closed candles", async () => {
    const { client, simulator } = setup();
    const response = await client.generateSimulation({
      symbol: "BTC-USD",
      model: SimulationModel.GBM,
      interval: Interval.INTERVAL_1M,
      dataPoints: 30,
      seed: 5n,
    });
    expect(response.historicalSource).toBe(HistoricalSource.RECORDED);
    expect(response.historical).toHaveLength(30);
    const open = simulator.openCandle("BTC-USD", "1m");
    // The window ends where the open candle starts: every candle of it is over.
    expect(startOf(response.historical.at(-1))).toBe((open?.start ?? 0) - MINUTE);
    const recorded = simulator.candles("BTC-USD", "1m", { limit: 31 }) ?? [];
    expect(response.historical.map((c) => c.close)).toEqual(
      recorded.slice(0, 30).map((c) => c.close),
    );
    expect(response.historical.every((c) => c.closed)).toBe(true);
  });

  it("gives the same response to the same request and seed later in the same period", async () => {
    const { client, simulator } = setup();
    const request = {
      symbol: "ETH-USD",
      model: SimulationModel.MOMENTUM,
      interval: Interval.INTERVAL_1M,
      dataPoints: 50,
      seed: 11n,
    };
    const first = await client.generateSimulation(request);
    // 25 s later (still inside the open minute) the open candle has changed.
    for (let i = 1; i <= 5; i++) simulator.advance(simulator.now + 5_000);
    const later = await client.generateSimulation(request);
    const { simulationId: _a, ...firstRest } = first;
    const { simulationId: _b, ...laterRest } = later;
    expect(laterRest).toEqual(firstRest);
  });

  it("synthesizes a window older than the history, deterministically, and says so", async () => {
    const { client } = setup();
    const request = {
      symbol: "SOL-USD",
      model: SimulationModel.BOOTSTRAP,
      interval: Interval.INTERVAL_1M,
      // 48 h to 24 h before the simulator's start: no candle of it was ever simulated.
      startTime: timestampFromMs(T0 - 48 * HOUR),
      endTime: timestampFromMs(T0 - 24 * HOUR),
      seed: 3n,
    };
    const first = await client.generateSimulation(request);
    expect(first.historicalSource).toBe(HistoricalSource.SYNTHETIC);
    // data_points unset with a start time: every candle of the window.
    expect(first.historical).toHaveLength(1_440);
    expect(startOf(first.historical[0])).toBe(T0 - 48 * HOUR);
    expect(startOf(first.historical.at(-1))).toBe(T0 - 24 * HOUR - MINUTE);
    for (const candle of first.historical) {
      expect(candle.closed).toBe(true);
      expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
      expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
      expect([candle.open, candle.high, candle.low, candle.close].every((p) => onTick(p))).toBe(
        true,
      );
    }
    const again = await client.generateSimulation(request);
    expect(again.historical).toEqual(first.historical);
    expect(again.simulated).toEqual(first.simulated);
  });

  it("synthesizes the default 1h window when the history is shorter than it", async () => {
    const { client } = setup();
    // Unset interval: 1h; unset data_points: 100 — six hours of history do not cover it.
    const response = await client.generateSimulation({ symbol: "BTC-USD", seed: 1n });
    expect(response.interval).toBe(Interval.INTERVAL_1H);
    expect(response.historicalSource).toBe(HistoricalSource.SYNTHETIC);
    expect(response.historical).toHaveLength(100);
    expect(startOf(response.historical.at(-1))).toBe(T0 + 5 * HOUR);
  });
});

describe("GenerateSimulation simulated series (marketdata.v1)", () => {
  it("covers the same periods as the history, from the first historical open", async () => {
    const { client } = setup();
    for (const model of [
      SimulationModel.BOOTSTRAP,
      SimulationModel.GBM,
      SimulationModel.BROWNIAN_MOTION,
      SimulationModel.ORNSTEIN_UHLENBECK,
      SimulationModel.MOMENTUM,
    ]) {
      const response = await client.generateSimulation({
        symbol: "BTC-USD",
        model,
        interval: Interval.INTERVAL_1M,
        dataPoints: 40,
        seed: 2n,
      });
      expect(response.simulated.map(startOf)).toEqual(response.historical.map(startOf));
      expect(response.simulated[0]?.open).toBe(response.historical[0]?.open);
      expect(response.simulated.every((c) => c.closed)).toBe(true);
      for (let i = 1; i < response.simulated.length; i++) {
        expect(response.simulated[i]?.open).toBe(response.simulated[i - 1]?.close);
      }
    }
  });

  it("puts every simulated price on the symbol's tick grid, with noise too", async () => {
    const { client } = setup();
    for (const model of [SimulationModel.GBM, SimulationModel.BROWNIAN_MOTION]) {
      const response = await client.generateSimulation({
        symbol: "ETH-USD",
        model,
        interval: Interval.INTERVAL_1M,
        dataPoints: 200,
        noiseLevel: 0.001,
        seed: 8n,
      });
      for (const c of response.simulated) {
        const prices = [c.open, c.high, c.low, c.close];
        expect(
          prices.every((p) => onTick(p)),
          prices.join(" "),
        ).toBe(true);
      }
    }
  });

  it("defaults an unset model to BOOTSTRAP and an unset interval to 1h", async () => {
    const { client } = setup();
    const response = await client.generateSimulation({ symbol: "BTC-USD", dataPoints: 5 });
    expect(response.model).toBe(SimulationModel.BOOTSTRAP);
    expect(response.interval).toBe(Interval.INTERVAL_1H);
    expect(response.simulated).toHaveLength(5);
  });

  it.each([
    ["volatility_factor", { volatilityFactor: 50 }],
    ["volatility_factor", { volatilityFactor: 10.5 }],
    ["volatility_factor", { volatilityFactor: 0 }],
    ["trend_factor", { trendFactor: 50 }],
    ["trend_factor", { trendFactor: -10.5 }],
    ["noise_level", { noiseLevel: 0.5 }],
    ["noise_level", { noiseLevel: -0.01 }],
    ["data_points", { dataPoints: 2 }],
    ["data_points", { dataPoints: 10_001 }],
  ])("refuses %s out of its documented range (%j) with InvalidArgument", async (field, extra) => {
    const { client } = setup();
    const error = await errorOf(
      client.generateSimulation({
        symbol: "BTC-USD",
        model: SimulationModel.GBM,
        interval: Interval.INTERVAL_1M,
        ...extra,
      }),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain(field);
  });

  it("accepts the documented bounds", async () => {
    const { client } = setup();
    const response = await client.generateSimulation({
      symbol: "BTC-USD",
      model: SimulationModel.GBM,
      interval: Interval.INTERVAL_1M,
      dataPoints: 20,
      volatilityFactor: 10,
      trendFactor: -10,
      noiseLevel: 0.1,
    });
    expect(response.simulated).toHaveLength(20);
  });

  it("refuses windows it cannot serve with InvalidArgument, and unknown symbols with NotFound", async () => {
    const { client, simulator } = setup();
    const refused = async (request: Parameters<typeof client.generateSimulation>[0]) =>
      (await errorOf(client.generateSimulation(request)))?.code;
    expect(await refused({ symbol: "XRP-USD" })).toBe(Code.NotFound);
    expect(
      await refused({
        symbol: "BTC-USD",
        startTime: timestampFromMs(T0),
        endTime: timestampFromMs(T0 - HOUR),
      }),
    ).toBe(Code.InvalidArgument);
    // Entirely in the future: no closed candle.
    expect(
      await refused({ symbol: "BTC-USD", startTime: timestampFromMs(simulator.now + HOUR) }),
    ).toBe(Code.InvalidArgument);
    // 30 days of 1m candles is more than MAX_SIMULATION_POINTS without data_points.
    expect(
      await refused({
        symbol: "BTC-USD",
        interval: Interval.INTERVAL_1M,
        startTime: timestampFromMs(T0 - 30 * 24 * HOUR),
        endTime: timestampFromMs(T0),
      }),
    ).toBe(Code.InvalidArgument);
    // A default window reaching before year 1 cannot be expressed in Timestamps.
    expect(
      await refused({
        symbol: "BTC-USD",
        interval: Interval.INTERVAL_1D,
        endTime: { seconds: -62_135_596_800n + 86_400n, nanos: 0 },
      }),
    ).toBe(Code.InvalidArgument);
    expect(await refused({ symbol: "BTC-USD", seed: 2n ** 40n })).toBe(Code.InvalidArgument);
  });
});

describe("GenerateSimulation (legacy marketdata)", () => {
  it("answers for a window older than the history, the same candles for the same request", async () => {
    const { legacy } = setup();
    const request = {
      symbol: "BTC-USD",
      startTime: timestampFromMs(T0 - 48 * HOUR),
      endTime: timestampFromMs(T0 - 24 * HOUR),
      simulationType: SimulationType.MONTE_CARLO,
    };
    const first = await legacy.generateSimulation(request);
    // data_points unset: the 100 most recent 1m candles of the window.
    expect(first.historicalData).toHaveLength(100);
    expect(timestampMs(first.historicalData.at(-1)?.timestamp ?? timestampFromMs(0))).toBe(
      T0 - 24 * HOUR - MINUTE,
    );
    expect(first.simulatedData.map((p) => p.timestamp)).toEqual(
      first.historicalData.map((p) => p.timestamp),
    );
    const again = await legacy.generateSimulation(request);
    expect(again.historicalData).toEqual(first.historicalData);
  });

  it("refuses parameters outside the documented ranges, naming the field", async () => {
    const { legacy } = setup();
    for (const [field, parameters] of [
      ["volatility_factor", { volatilityFactor: 50 }],
      ["trend_factor", { trendFactor: 50 }],
      ["noise_level", { includeNoise: true, noiseLevel: 0.5 }],
      ["data_points", { dataPoints: -5 }],
    ] as const) {
      const error = await errorOf(legacy.generateSimulation({ symbol: "BTC-USD", parameters }));
      expect(error?.code, field).toBe(Code.InvalidArgument);
      expect(error?.rawMessage).toContain(field);
    }
  });
});
