import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import {
  BatchKind,
  Interval,
  MarketDataService,
  ScenarioStatus,
  ScenarioType,
  TradeSide,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { codeOf } from "@tse/service-kit/testing";
import { describe, expect, it } from "vitest";
import { CandleHistory } from "../../application/candle-history.js";
import { SimulationService } from "../../application/generate-simulation.js";
import { createCandleHub, createQuoteHub } from "../../application/market-streams.js";
import { ScenarioBook } from "../../application/scenario-book.js";
import type { OhlcCandle } from "../../domain/candles/candle-aggregator.js";
import { MarketSimulator } from "../../domain/engine/market-simulator.js";
import { buildUniverse } from "../../domain/market/symbol-universe.js";
import { registerMarketDataV1 } from "./market-data-v1-service.js";

const T0 = Date.UTC(2026, 10, 23);

function setup(limits = { maxSubscribers: 2, maxSymbolsPerSubscription: 2 }) {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD", "ETH-USD", "SOL-USD"]),
    seed: 9,
    startTime: T0,
  });
  for (let i = 1; i <= 600; i++) simulator.advance(T0 + i * 1_000);
  const hub = createQuoteHub(limits);
  const history = new CandleHistory(simulator);
  const simulations = new SimulationService(simulator, history, 9, 10_000);
  const candleHub = createCandleHub(limits);
  const scenarios = new ScenarioBook(simulator, { maxActive: 250 });
  const transport = createRouterTransport((router) =>
    registerMarketDataV1(router, { simulator, hub, candleHub, simulations, history, scenarios }),
  );
  const client = createClient(MarketDataService, transport);
  const tick = () => hub.publish(simulator.advance(simulator.now + 1_000).quotes);
  const tickCandles = () => {
    const step = simulator.advance(simulator.now + 1_000);
    candleHub.publish([
      ...step.closedCandles.map((candle) => ({ symbol: candle.symbol, candle, closed: true })),
      ...step.quotes.map((q) => ({
        symbol: q.symbol,
        candle: simulator.openCandle(q.symbol, "1m") as OhlcCandle,
        closed: false,
      })),
    ]);
  };
  return { simulator, hub, client, tick, tickCandles };
}

describe("marketdata.v1 unary RPCs", () => {
  it("lists symbols and serves quotes that match the simulator", async () => {
    const { client, simulator } = setup();
    const { symbols } = await client.listSymbols({});
    expect(symbols.map((s) => s.symbol)).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    expect(symbols[0]).toMatchObject({
      base: "BTC",
      quote: "USD",
      tickSize: 0.01,
      minOrderSize: 0.00001,
      maxOrderSize: 250,
      active: true,
    });
    const { quote } = await client.getQuote({ symbol: "ETH-USD" });
    const expected = simulator.quote("ETH-USD");
    expect(quote).toMatchObject({
      symbol: "ETH-USD",
      last: expected?.last,
      bid: expected?.bid,
      ask: expected?.ask,
    });
    expect(quote?.sequence).toBe(600n);
    expect(await codeOf(client.getQuote({ symbol: "XRP-USD" }))).toBe(Code.NotFound);
    expect(await codeOf(client.getQuote({ symbol: "" }))).toBe(Code.InvalidArgument);
  });

  it("serves candles oldest first, marks the open one, and validates interval, range and limit", async () => {
    const { client } = setup();
    const { candles } = await client.getCandles({
      symbol: "BTC-USD",
      interval: Interval.INTERVAL_1M,
      limit: 5,
    });
    expect(candles).toHaveLength(5);
    expect(candles.slice(0, 4).every((c) => c.closed)).toBe(true);
    expect(candles.at(-1)?.closed).toBe(false);
    const starts = candles.map((c) => Number(c.startTime?.seconds));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const ranged = await client.getCandles({
      symbol: "BTC-USD",
      interval: Interval.INTERVAL_1M,
      startTime: timestampFromMs(T0 + 120_000),
      endTime: timestampFromMs(T0 + 300_000),
    });
    expect(ranged.candles).toHaveLength(3);
    expect(
      await codeOf(
        client.getCandles({ symbol: "BTC-USD", interval: Interval.INTERVAL_UNSPECIFIED }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(await codeOf(client.getCandles({ symbol: "BTC-USD", interval: 99 as Interval }))).toBe(
      Code.InvalidArgument,
    );
    expect(
      await codeOf(
        client.getCandles({ symbol: "BTC-USD", interval: Interval.INTERVAL_1M, limit: 5_001 }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client.getCandles({
          symbol: "BTC-USD",
          interval: Interval.INTERVAL_1M,
          startTime: timestampFromMs(T0 + 300_000),
          endTime: timestampFromMs(T0),
        }),
      ),
    ).toBe(Code.InvalidArgument);
  });

  it("serves the book at the quote, the tape, and snapshots", async () => {
    const { client, simulator } = setup();
    const { orderBook } = await client.getOrderBook({ symbol: "SOL-USD", depth: 5 });
    expect(orderBook?.bids).toHaveLength(5);
    expect(orderBook?.bids[0]?.price).toBe(simulator.quote("SOL-USD")?.bid);
    expect(orderBook?.asks[0]?.price).toBe(simulator.quote("SOL-USD")?.ask);
    expect(await codeOf(client.getOrderBook({ symbol: "SOL-USD", depth: 101 }))).toBe(
      Code.InvalidArgument,
    );
    // Unset means 20; any depth up to the documented 100 is served in full.
    expect((await client.getOrderBook({ symbol: "BTC-USD" })).orderBook?.asks).toHaveLength(20);
    for (const depth of [21, 50, 100]) {
      const deep = (await client.getOrderBook({ symbol: "BTC-USD", depth })).orderBook;
      expect(deep?.bids, `depth ${depth}`).toHaveLength(depth);
      expect(deep?.asks, `depth ${depth}`).toHaveLength(depth);
    }
    const { trades } = await client.getRecentTrades({ symbol: "SOL-USD", limit: 10 });
    expect(trades).toHaveLength(10);
    expect(trades.every((t) => t.side === TradeSide.BUY || t.side === TradeSide.SELL)).toBe(true);
    expect(await codeOf(client.getRecentTrades({ symbol: "SOL-USD", limit: 1_001 }))).toBe(
      Code.InvalidArgument,
    );
    const { snapshots } = await client.getMarketSnapshot({});
    expect(snapshots.map((s) => s.symbol)).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    const btc = snapshots[0];
    expect(btc?.spread).toBeCloseTo((btc?.ask ?? 0) - (btc?.bid ?? 0), 9);
  });
});

describe("marketdata.v1 scenarios", () => {
  it("starts, lists, stops and reports scenarios; bad requests are InvalidArgument", async () => {
    const { client } = setup();
    const { scenario } = await client.startScenario({
      type: ScenarioType.RALLY,
      symbols: ["BTC-USD"],
      parameters: { intensity: 2, durationSeconds: 300 },
    });
    expect(scenario).toMatchObject({
      type: ScenarioType.RALLY,
      status: ScenarioStatus.ACTIVE,
      symbols: ["BTC-USD"],
    });
    expect((await client.listScenarios({})).scenarios.map((s) => s.id)).toEqual([scenario?.id]);
    const stopped = await client.stopScenario({ scenarioId: scenario?.id ?? "" });
    expect(stopped.scenario?.status).toBe(ScenarioStatus.STOPPED);
    expect((await client.listScenarios({})).scenarios).toEqual([]);
    expect((await client.listScenarios({ includeEnded: true })).scenarios).toHaveLength(1);
    expect(await codeOf(client.stopScenario({ scenarioId: "nope" }))).toBe(Code.NotFound);
    expect(
      await codeOf(client.startScenario({ type: ScenarioType.UNSPECIFIED, symbols: ["BTC-USD"] })),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client.startScenario({
          type: ScenarioType.CRASH,
          symbols: ["BTC-USD"],
          parameters: { durationSeconds: 86_401 },
        }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client.startScenario({
          type: ScenarioType.CRASH,
          symbols: ["BTC-USD"],
          parameters: { intensity: 11 },
        }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(client.startScenario({ type: ScenarioType.CRASH, symbols: ["DOGE-USD"] })),
    ).toBe(Code.NotFound);
  });
});

describe("marketdata.v1 scenario limit", () => {
  it("refuses scenarios beyond the maximum with ResourceExhausted; list and stop see every one", async () => {
    const { client } = setup();
    const request = {
      type: ScenarioType.VOLATILITY_SPIKE,
      symbols: ["SOL-USD"],
      parameters: { intensity: 1, durationSeconds: 3_600 },
    };
    for (let i = 0; i < 250; i++) await client.startScenario(request);
    expect(await codeOf(client.startScenario(request))).toBe(Code.ResourceExhausted);
    expect((await client.listScenarios({})).scenarios).toHaveLength(250);
    const { scenario } = await client.stopScenario({ scenarioId: "scenario-1" });
    expect(scenario?.status).toBe(ScenarioStatus.STOPPED);
    expect((await client.startScenario(request)).scenario?.status).toBe(ScenarioStatus.ACTIVE);
  });
});

describe("marketdata.v1 scenario status", () => {
  it("reports RECOVERING only while a recovery does something, COMPLETED otherwise", async () => {
    const { client, simulator } = setup();
    const start = async (type: ScenarioType) =>
      (
        await client.startScenario({
          type,
          symbols: ["BTC-USD"],
          parameters: { durationSeconds: 60, recoveryFactor: 0.5 },
        })
      ).scenario;
    const crash = await start(ScenarioType.CRASH);
    const quiet = await Promise.all(
      [
        ScenarioType.STALE_FEED,
        ScenarioType.MEAN_REVERTING,
        ScenarioType.VOLATILITY_SPIKE,
        ScenarioType.CONSOLIDATION,
      ].map(start),
    );
    expect(crash?.recoveryEndsAt).toBeDefined();
    expect(quiet.map((s) => s?.recoveryEndsAt)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    for (let i = 0; i < 90; i++) simulator.advance(simulator.now + 1_000);
    const { scenarios } = await client.listScenarios({ includeEnded: true });
    const statusOf = (id: string | undefined) => scenarios.find((s) => s.id === id)?.status;
    expect(statusOf(crash?.id)).toBe(ScenarioStatus.RECOVERING);
    for (const scenario of quiet) expect(statusOf(scenario?.id)).toBe(ScenarioStatus.COMPLETED);
  });
});

describe("marketdata.v1 scenario defaults", () => {
  it("resolves unset parameters as documented and applies to every symbol when none is named", async () => {
    const { client } = setup();
    const { scenario } = await client.startScenario({ type: ScenarioType.VOLATILITY_SPIKE });
    expect(scenario?.symbols).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    expect(scenario?.parameters).toMatchObject({
      intensity: 1,
      durationSeconds: 300,
      recoveryFactor: 0.5,
      gradualTransition: false,
    });
  });
});

describe("marketdata.v1 StreamScenarioPreview", () => {
  async function collect(stream: AsyncIterable<{ points: { price: number }[] }>) {
    const batches: { price: number }[][] = [];
    for await (const response of stream) batches.push(response.points);
    return batches;
  }

  it("streams the private path in batches, from the live mid, without touching the live feed", async () => {
    const { client, simulator } = setup();
    const before = simulator.quote("BTC-USD");
    const batches: Awaited<ReturnType<typeof collect>> = [];
    const responses = client.streamScenarioPreview({
      symbol: "BTC-USD",
      type: ScenarioType.CRASH,
      parameters: { durationSeconds: 120, recoveryFactor: 0.5 },
      stepMs: 1_000,
      batchSize: 50,
      seed: 77n,
    });
    const points = [];
    for await (const response of responses) {
      batches.push(response.points);
      points.push(...response.points);
    }
    expect(batches.map((b) => b.length)).toEqual([50, 50, 50, 50, 41]);
    expect(points[0]?.timestamp).toEqual(timestampFromMs(simulator.now));
    const mid = ((before?.bid ?? 0) + (before?.ask ?? 0)) / 2;
    expect(points[0]?.price).toBeCloseTo(mid, 1);
    expect(points[120]?.phase).toBe(ScenarioStatus.ACTIVE);
    expect(points[121]?.phase).toBe(ScenarioStatus.RECOVERING);
    const bottom = points[120];
    expect((bottom?.price ?? 0) / (bottom?.baselinePrice ?? 1)).toBeCloseTo(0.92, 3);
    expect(simulator.quote("BTC-USD")).toBe(before);
    expect(simulator.runningScenarios()).toEqual([]);
    const again = await collect(
      client.streamScenarioPreview({
        symbol: "BTC-USD",
        type: ScenarioType.CRASH,
        parameters: { durationSeconds: 120, recoveryFactor: 0.5 },
        batchSize: 50,
        seed: 77n,
      }),
    );
    expect(again.flat().map((p) => p.price)).toEqual(points.map((p) => p.price));
  });

  it("previews a divergence against the other symbols and defaults step and batch size", async () => {
    const { client } = setup();
    const batches = await collect(
      client.streamScenarioPreview({
        symbol: "ETH-USD",
        type: ScenarioType.DIVERGENCE,
        parameters: { durationSeconds: 300, recoveryFactor: 0 },
      }),
    );
    expect(batches.map((b) => b.length)).toEqual([100, 100, 100, 1]);
  });

  it.each([
    [{ symbol: "", type: ScenarioType.RALLY }, Code.InvalidArgument],
    [{ symbol: "DOGE-USD", type: ScenarioType.RALLY }, Code.NotFound],
    [{ symbol: "BTC-USD", type: ScenarioType.UNSPECIFIED }, Code.InvalidArgument],
    [{ symbol: "BTC-USD", type: 99 as ScenarioType }, Code.InvalidArgument],
    [{ symbol: "BTC-USD", type: ScenarioType.RALLY, stepMs: 3_600_001 }, Code.InvalidArgument],
    [{ symbol: "BTC-USD", type: ScenarioType.RALLY, batchSize: 1_001 }, Code.InvalidArgument],
    [
      { symbol: "BTC-USD", type: ScenarioType.RALLY, parameters: { intensity: Number.NaN } },
      Code.InvalidArgument,
    ],
    [
      { symbol: "BTC-USD", type: ScenarioType.RALLY, parameters: { recoveryFactor: 2 } },
      Code.InvalidArgument,
    ],
    [
      {
        symbol: "BTC-USD",
        type: ScenarioType.RALLY,
        parameters: { durationSeconds: 86_400 },
        stepMs: 1,
      },
      Code.InvalidArgument,
    ],
  ])("refuses %j with %s", async (request, code) => {
    const { client } = setup();
    expect(await codeOf(collect(client.streamScenarioPreview(request)))).toBe(code);
  });
});

describe("marketdata.v1 StreamCandles", () => {
  it("sends the open candles first, then updates of the chosen intervals, closes marked", async () => {
    const { client, tickCandles } = setup();
    const abort = new AbortController();
    const stream = client.streamCandles(
      { symbols: ["ETH-USD"], intervals: [Interval.INTERVAL_1M, Interval.INTERVAL_1H] },
      { signal: abort.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) throw new Error("stream ended");
    expect(first.value.kind).toBe(BatchKind.SNAPSHOT);
    expect(first.value.candles.map((c) => c.interval)).toEqual([
      Interval.INTERVAL_1M,
      Interval.INTERVAL_1H,
    ]);
    expect(first.value.candles.every((c) => !c.closed && c.symbol === "ETH-USD")).toBe(true);
    // The simulator is at 10:00 past T0; 60 more seconds close the 1m candle.
    const seen: { interval: Interval; closed: boolean }[] = [];
    for (let i = 0; i < 60; i++) {
      tickCandles();
      const next = await iterator.next();
      if (next.done === true) break;
      expect(next.value.kind).toBe(BatchKind.UPDATE);
      seen.push(...next.value.candles.map((c) => ({ interval: c.interval, closed: c.closed })));
    }
    expect(seen.filter((c) => c.closed)).toEqual([
      { interval: Interval.INTERVAL_1M, closed: true },
    ]);
    expect(seen.every((c) => c.interval === Interval.INTERVAL_1M)).toBe(true);
    abort.abort();
    await iterator.return?.();
    const read = (request: { intervals: Interval[] }) =>
      (async () => {
        for await (const _ of client.streamCandles(request)) return;
      })();
    expect(await codeOf(read({ intervals: [42 as Interval] }))).toBe(Code.InvalidArgument);
  });
});

describe("marketdata.v1 StreamPrices", () => {
  it("sends a snapshot first, then update batches with increasing sequences", async () => {
    const { client, tick } = setup();
    const abort = new AbortController();
    const stream = client.streamPrices({ symbols: ["BTC-USD"] }, { signal: abort.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    if (first.done === true) return;
    expect(first.value.kind).toBe(BatchKind.SNAPSHOT);
    expect(first.value.updates.map((q) => q.symbol)).toEqual(["BTC-USD"]);
    const sequences: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      tick();
      const next = await iterator.next();
      expect(next.value?.kind).toBe(BatchKind.UPDATE);
      sequences.push(next.value?.updates[0]?.sequence ?? 0n);
    }
    expect(sequences).toEqual([601n, 602n, 603n]);
    abort.abort();
    await iterator.return?.();
  });

  it("refuses unknown symbols and streams past the limits", async () => {
    const { client, hub } = setup({ maxSubscribers: 1, maxSymbolsPerSubscription: 2 });
    const read = (request: { symbols: string[] }) =>
      (async () => {
        for await (const _ of client.streamPrices(request)) return;
      })();
    expect(await codeOf(read({ symbols: ["XRP-USD"] }))).toBe(Code.NotFound);
    expect(await codeOf(read({ symbols: ["BTC-USD", "ETH-USD", "SOL-USD"] }))).toBe(
      Code.ResourceExhausted,
    );
    hub.subscribe("all");
    expect(await codeOf(read({ symbols: [] }))).toBe(Code.ResourceExhausted);
  });
});
