import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { MarketDataService, ScenarioType } from "@tse/proto/marketdata/market_data_pb";
import { describe, expect, it } from "vitest";
import { CandleHistory } from "../../application/candle-history.js";
import { SimulationService } from "../../application/generate-simulation.js";
import { createQuoteHub } from "../../application/market-streams.js";
import { MarketSimulator } from "../../domain/engine/market-simulator.js";
import { buildUniverse } from "../../domain/market/symbol-universe.js";
import { registerLegacyMarketData } from "./legacy-market-data-service.js";

const T0 = Date.UTC(2026, 10, 23);

function setup(useBinaryFormat = true) {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD", "ETH-USD", "SOL-USD"]),
    seed: 4,
    startTime: T0,
  });
  for (let i = 1; i <= 120; i++) simulator.advance(T0 + i * 1_000);
  const hub = createQuoteHub({ maxSubscribers: 2, maxSymbolsPerSubscription: 5 });
  const history = new CandleHistory(simulator);
  const simulations = new SimulationService(simulator, history, 4, 10_000);
  const transport = createRouterTransport(
    (router) =>
      registerLegacyMarketData(router, { simulator, hub, simulations, source: "t", details: {} }),
    { transport: { useBinaryFormat } },
  );
  const tick = () => hub.publish(simulator.advance(simulator.now + 1_000).quotes);
  return { simulator, hub, tick, client: createClient(MarketDataService, transport) };
}

async function codeOf(run: () => Promise<unknown>): Promise<Code | "ok"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("legacy StreamPrices", () => {
  it("sends a symbol's price when it changed, at most once per update_interval_ms", async () => {
    const { client, tick } = setup();
    const abort = new AbortController();
    const received: { symbol: string; price: number; at: number }[] = [];
    const reading = (async () => {
      for await (const update of client.streamPrices(
        { symbols: ["BTC-USD", "ETH-USD"], updateIntervalMs: 100 },
        { signal: abort.signal },
      )) {
        received.push({ symbol: update.symbol, price: update.price, at: performance.now() });
      }
    })().catch(() => undefined);
    // 600 ms of a fast market (a simulated second every 20 ms), then 500 ms of a frozen one.
    const ticker = setInterval(tick, 20);
    await sleep(600);
    clearInterval(ticker);
    const frozenAt = performance.now();
    await sleep(500);
    abort.abort();
    await reading;

    for (const symbol of ["BTC-USD", "ETH-USD"]) {
      const updates = received.filter((u) => u.symbol === symbol);
      // The first update is the current price; then only changes.
      expect(updates.length, symbol).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < updates.length; i++) {
        const [previous, next] = [updates[i - 1], updates[i]];
        expect(next?.price, `${symbol} #${i}`).not.toBe(previous?.price);
        // Timers never fire early; 5 ms of slack for the clock readings around them.
        expect((next?.at ?? 0) - (previous?.at ?? 0)).toBeGreaterThanOrEqual(95);
      }
    }
    // Nothing changed after the market froze: at most the round already under way was sent.
    expect(received.filter((u) => u.at > frozenAt + 150)).toEqual([]);
  });

  it("refuses an update_interval_ms below 0 or above 60000, and unknown symbols", async () => {
    const { client } = setup();
    const first = (request: { symbols: string[]; updateIntervalMs?: number }) => async () => {
      for await (const _ of client.streamPrices(request)) return;
    };
    expect(await codeOf(first({ symbols: ["BTC-USD"], updateIntervalMs: -1 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(first({ symbols: ["BTC-USD"], updateIntervalMs: 60_001 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(first({ symbols: ["XRP-USD"] }))).toBe(Code.NotFound);
    expect(await codeOf(first({ symbols: ["BTC-USD"], updateIntervalMs: 60_000 }))).toBe("ok");
  });
});

describe("legacy StreamScenario start_time", () => {
  it.each([
    ["Connect binary", true],
    ["Connect JSON", false],
  ])("refuses a start whose path would end after 9999-12-31T23:59:59Z (%s)", async (_, binary) => {
    const { client } = setup(binary);
    const run =
      (seconds: bigint, scenarioType = ScenarioType.CRASH, recoveryFactor = 0) =>
      async () => {
        const points = [];
        for await (const update of client.streamScenario({
          symbol: "BTC-USD",
          scenarioType,
          startTime: { seconds, nanos: 0 },
          durationMinutes: 1,
          parameters: { recoveryFactor },
        }))
          points.push(update);
        return points;
      };
    // 9999-12-31T23:59:00Z: the one-minute path would run past the last valid second.
    expect(await codeOf(run(253_402_300_740n))).toBe(Code.InvalidArgument);
    // A path that ends exactly at the last minute of year 9999 is served.
    const lastMinute = 253_402_300_740n - 60n;
    const points = await run(lastMinute)();
    expect(points).toHaveLength(61);
    // A recovery phase doubles a crash's path; a consolidation has none to add.
    expect(await codeOf(run(lastMinute, ScenarioType.CRASH, 0.5))).toBe(Code.InvalidArgument);
    expect(await run(lastMinute, ScenarioType.CONSOLIDATION, 0.5)()).toHaveLength(61);
    const last = points.at(-1)?.timestamp;
    expect(last === undefined ? undefined : timestampMs(last)).toBe(
      Number(lastMinute + 60n) * 1_000,
    );
  });
});

describe("legacy StreamScenario resolution", () => {
  it("sizes the step by the path the scenario really has: a recovery factor adds none to a consolidation", async () => {
    const { client } = setup();
    const count = async (scenarioType: ScenarioType, recoveryFactor: number) => {
      let points = 0;
      // 200 minutes: 12 000 one-second points, more than the 10 000 a stream may send.
      for await (const _ of client.streamScenario({
        symbol: "BTC-USD",
        scenarioType,
        durationMinutes: 200,
        parameters: { recoveryFactor },
      }))
        points += 1;
      return points;
    };
    const withoutRecovery = await count(ScenarioType.CONSOLIDATION, 0);
    expect(withoutRecovery).toBeGreaterThan(9_000);
    expect(withoutRecovery).toBeLessThanOrEqual(10_001);
    expect(await count(ScenarioType.CONSOLIDATION, 0.5)).toBe(withoutRecovery);
    // A crash does recover: twice the path at the same cap, so the same number of points.
    expect(await count(ScenarioType.CRASH, 0.5)).toBe(withoutRecovery);
  });
});

describe("legacy StreamPrices volume", () => {
  it("is the 24h volume, as the proto says", async () => {
    const { client, simulator } = setup();
    for await (const update of client.streamPrices({ symbols: ["BTC-USD"] })) {
      expect(update.volume).toBeGreaterThan(0);
      expect(update.volume).toBe(update.changeInfo?.dailyVolume);
      expect(update.volume).toBe(simulator.quote("BTC-USD")?.volume24h);
      break;
    }
  });
});
