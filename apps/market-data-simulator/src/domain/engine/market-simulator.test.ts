import { describe, expect, it } from "vitest";
import { CANDLE_INTERVALS, type OhlcCandle } from "../candles/candle-aggregator.js";
import { roundToTick } from "../market/microstructure.js";
import { buildUniverse, DEFAULT_SYMBOLS } from "../market/symbol-universe.js";
import { MarketSimulator, type MarketStep } from "./market-simulator.js";

const T0 = Date.UTC(2026, 10, 23);

function simulator(symbols: readonly string[] = DEFAULT_SYMBOLS, seed = 42): MarketSimulator {
  return new MarketSimulator({ universe: buildUniverse(symbols), seed, startTime: T0 });
}

function run(market: MarketSimulator, steps: number, stepMs = 1_000): MarketStep[] {
  return Array.from({ length: steps }, () => market.advance(market.now + stepMs));
}

describe("MarketSimulator", () => {
  it("is reproducible for a seed, differs for another, and appending a symbol changes no other", () => {
    const a = run(simulator(), 500);
    expect(run(simulator(), 500)).toEqual(a);
    expect(run(simulator(DEFAULT_SYMBOLS, 43), 500)).not.toEqual(a);
    const withMore = run(simulator([...DEFAULT_SYMBOLS, "DOGE-USD"]), 500);
    const only = (steps: MarketStep[]) =>
      steps.map((step) => step.quotes.filter((quote) => quote.symbol !== "DOGE-USD"));
    expect(only(withMore)).toEqual(only(a));
  });

  it("keeps quotes on the tick grid with bid < ask, sequences +1 per update, 24h figures consistent", () => {
    const market = simulator();
    const steps = run(market, 3_000);
    const lastSequence = new Map<string, number>();
    for (const step of steps) {
      for (const quote of step.quotes) {
        const tick = market.symbols.find((s) => s.symbol === quote.symbol)?.tickSize as number;
        expect(quote.bid).toBeLessThan(quote.ask);
        expect(roundToTick(quote.bid, tick, "nearest")).toBe(quote.bid);
        expect(roundToTick(quote.ask, tick, "nearest")).toBe(quote.ask);
        expect(quote.low24h).toBeLessThanOrEqual(quote.last);
        expect(quote.high24h).toBeGreaterThanOrEqual(quote.last);
        expect(quote.sequence).toBe((lastSequence.get(quote.symbol) ?? 0) + 1);
        lastSequence.set(quote.symbol, quote.sequence);
        expect(quote.timestamp).toBe(step.timestamp);
      }
    }
    // Prices move: the last price takes many values over 50 minutes.
    const lasts = new Set(steps.map((step) => step.quotes[0]?.last));
    expect(lasts.size).toBeGreaterThan(100);
  });

  it("builds candles from the tape: each 1m candle's volume is the sum of its trades", () => {
    const market = simulator(["BTC-USD"]);
    const steps = run(market, 1_800);
    const minutes = steps.flatMap((step) => step.closedCandles).filter((c) => c.interval === "1m");
    expect(minutes.length).toBeGreaterThan(25);
    const trades = steps.flatMap((step) => step.trades);
    for (const candle of minutes) {
      // Steps land on whole seconds; a step at the boundary belongs to the next minute.
      // Steps land on whole seconds; a step at a boundary belongs to the minute it starts.
      const inMinute = trades.filter(
        (t) => t.timestamp >= candle.start && t.timestamp < candle.start + CANDLE_INTERVALS["1m"],
      );
      expect(candle.volume).toBeCloseTo(
        inMinute.reduce((sum, t) => sum + t.quantity, 0),
        6,
      );
      expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
      expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
      expect(inMinute.length).toBeGreaterThan(0);
    }
    const history = market.candles("BTC-USD", "1m", { limit: 5 }) as OhlcCandle[];
    expect(history).toHaveLength(5);
    expect(history.at(-1)).toEqual(market.openCandle("BTC-USD", "1m"));
  });

  it("shows volumes (candles, 24h) on the stores' 8 decimals, without float noise", () => {
    const market = simulator();
    const steps = run(market, 3_000);
    const noiseless = (volume: number) => Number(volume.toFixed(8)) === volume;
    const candles = steps.flatMap((step) => step.closedCandles);
    expect(candles.length).toBeGreaterThan(100);
    expect(candles.filter((c) => !noiseless(c.volume))).toEqual([]);
    const quotes = steps.flatMap((step) => step.quotes);
    expect(quotes.filter((q) => !noiseless(q.volume24h)).map((q) => q.volume24h)).toEqual([]);
  });

  it("serves a book consistent with the quote and the tape newest first", () => {
    const market = simulator();
    run(market, 100);
    const quote = market.quote("ETH-USD");
    const book = market.orderBook("ETH-USD", 10);
    expect(book?.bids[0]).toEqual([quote?.bid, quote?.bidSize]);
    expect(book?.asks[0]).toEqual([quote?.ask, quote?.askSize]);
    expect(book?.bids).toHaveLength(10);
    expect(market.orderBook("ETH-USD", 10)).toEqual(book);
    const trades = market.recentTrades("ETH-USD", 20) ?? [];
    expect(trades.length).toBeGreaterThan(0);
    expect(
      trades.every((t, i) => i === 0 || t.timestamp <= (trades[i - 1]?.timestamp as number)),
    ).toBe(true);
    expect(market.quote("XRP-USD")).toBeUndefined();
  });

  it("plays a scenario on the live market and forgets it when it ends", () => {
    const base = simulator();
    const played = simulator();
    const scenario = played.startScenario({
      type: "RALLY",
      symbols: ["BTC-USD"],
      intensity: 4,
      durationSeconds: 600,
      recoveryFactor: 0,
      gradualTransition: false,
    });
    expect(played.runningScenarios().map((s) => s.id)).toEqual([scenario.id]);
    run(base, 700);
    run(played, 700);
    const ratio =
      (played.quote("BTC-USD")?.last as number) / (base.quote("BTC-USD")?.last as number);
    expect(Math.log(ratio)).toBeCloseTo(Math.log(1.2), 3);
    expect(played.quote("ETH-USD")).toEqual(base.quote("ETH-USD"));
    expect(played.runningScenarios()).toEqual([]);
  });

  it("publishes nothing for a stale symbol while STALE_FEED runs, and can stop a scenario", () => {
    const market = simulator();
    const stale = market.startScenario({
      type: "STALE_FEED",
      symbols: ["SOL-USD"],
      intensity: 1,
      durationSeconds: 60,
      recoveryFactor: 0,
      gradualTransition: false,
    });
    const during = run(market, 30);
    expect(during.every((step) => step.quotes.every((q) => q.symbol !== "SOL-USD"))).toBe(true);
    expect(market.stopScenario(stale.id)).toBe(true);
    expect(market.stopScenario(stale.id)).toBe(false);
    expect(run(market, 1)[0]?.quotes.map((q) => q.symbol)).toContain("SOL-USD");
    expect(() => market.startScenario({ ...stale.spec, symbols: ["XRP-USD"] })).toThrow(
      /not simulated/,
    );
    expect(() => market.advance(market.now)).toThrow(/forward/);
  });

  it("resumes stored candles instead of starting conflicting ones", () => {
    const first = simulator(["BTC-USD"]);
    run(first, 90);
    const open = first.openCandle("BTC-USD", "1m") as OhlcCandle;
    const restarted = new MarketSimulator({
      universe: buildUniverse(["BTC-USD"]),
      seed: 1,
      startTime: first.now,
      startPrices: { "BTC-USD": open.close },
    });
    restarted.resumeCandles([open]);
    run(restarted, 5);
    const resumed = restarted.openCandle("BTC-USD", "1m") as OhlcCandle;
    expect(resumed.start).toBe(open.start);
    expect(resumed.open).toBe(open.open);
    expect(resumed.trades).toBeGreaterThan(open.trades);
  });
});

describe("MarketSimulator under extreme scenarios (issue 19)", () => {
  /** Every quote and closed candle of `steps` keeps a real market: no zero, no crossed book. */
  function expectSaneMarket(market: MarketSimulator, steps: readonly MarketStep[]): void {
    for (const step of steps) {
      for (const quote of step.quotes) {
        const config = market.symbols.find((s) => s.symbol === quote.symbol);
        const floor = config?.priceBounds.min as number;
        expect(quote.bid).toBeGreaterThanOrEqual(config?.tickSize as number);
        expect(quote.bid).toBeLessThan(quote.ask);
        // The mid is at least the floor, so a bid at or above the ask side of it is crossed.
        expect(quote.ask).toBeGreaterThanOrEqual(floor);
        expect(quote.last).toBeGreaterThan(0);
      }
      for (const candle of step.closedCandles) expect(candle.low).toBeGreaterThan(0);
    }
  }

  it("survives twelve CRASHes of intensity 10 on SOL-USD: the price stops at its floor", () => {
    const market = simulator();
    for (let i = 0; i < 12; i++) {
      market.startScenario({
        type: "CRASH",
        symbols: ["SOL-USD"],
        intensity: 10,
        durationSeconds: 5,
        recoveryFactor: 0,
        gradualTransition: false,
      });
    }
    // The live feed's pace: 100 ms steps, for a minute.
    const steps = run(market, 600, 100);
    expectSaneMarket(market, steps);
    const sol = market.quote("SOL-USD");
    // Five seconds at the bound of ln 10 a second would take 150 to 0.0015: it stops at the
    // floor of 100 ticks, 1.00, and stays about there.
    expect(sol?.bid).toBeGreaterThanOrEqual(0.5);
    expect(sol?.ask).toBeLessThan(2);
    expect(market.runningScenarios()).toEqual([]);
  });

  it("survives three VOLATILITY_SPIKEs of intensity 10 on BTC-USD with a book that never crosses", () => {
    const market = simulator();
    for (let i = 0; i < 3; i++) {
      market.startScenario({
        type: "VOLATILITY_SPIKE",
        symbols: ["BTC-USD"],
        intensity: 10,
        durationSeconds: 300,
        recoveryFactor: 0.5,
        gradualTransition: false,
      });
    }
    const steps = run(market, 3_000, 100);
    expectSaneMarket(market, steps);
    // Volatility is bounded at 21 × its own: five minutes of it leave BTC far above its floor.
    expect(market.quote("BTC-USD")?.bid).toBeGreaterThan(1_000);
  });

  it("starts from a stored price outside the price bounds at the nearer bound", () => {
    const market = new MarketSimulator({
      universe: buildUniverse(["SOL-USD"]),
      seed: 1,
      startTime: T0,
      startPrices: { "SOL-USD": 0.004 },
    });
    expectSaneMarket(market, run(market, 100, 100));
    expect(market.quote("SOL-USD")?.last).toBeGreaterThanOrEqual(0.98);
  });
});

describe("buildUniverse", () => {
  it("uses built-in parameters, generic ones for unknown pairs, overrides on top", () => {
    const universe = buildUniverse(["BTC-USD", "ZZZ-EUR"], { "ZZZ-EUR": { initialPrice: 7 } });
    expect(universe.symbols[0]).toMatchObject({
      symbol: "BTC-USD",
      base: "BTC",
      quote: "USD",
      tickSize: 0.01,
    });
    expect(universe.symbols[1]).toMatchObject({
      symbol: "ZZZ-EUR",
      initialPrice: 7,
      annualVolatility: 0.8,
    });
    expect(universe.correlation[0]?.[1]).toBe(0.75);
  });

  it("gives every built-in pair together a valid correlation matrix", () => {
    const all = ["BTC", "ETH", "SOL", "BNB", "XRP", "ADA", "DOGE", "AVAX", "LINK", "DOT"].map(
      (b) => `${b}-USD`,
    );
    expect(
      () => new MarketSimulator({ universe: buildUniverse(all), seed: 1, startTime: T0 }),
    ).not.toThrow();
  });

  it("gives every symbol price bounds of 100 to 10¹² ticks and refuses a start outside them", () => {
    const universe = buildUniverse(["BTC-USD", "DOGE-USD"], { "BTC-USD": { tickSize: 0.07 } });
    expect(universe.symbols.map((s) => s.priceBounds)).toEqual([
      { min: 7, max: 70_000_000_000 },
      { min: 0.001, max: 10_000_000 },
    ]);
    expect(() => buildUniverse(["THIN-USD"], { "THIN-USD": { initialPrice: 0.5 } })).toThrow(
      /THIN-USD: initialPrice must be between 100 and 1000000000000 ticks of 0.01/,
    );
    expect(() => buildUniverse(["BTC-USD"], { "BTC-USD": { tickSize: 1e-9 } })).toThrow(
      /tickSize must be in/,
    );
    expect(() => buildUniverse(["BTC-USD"], { "BTC-USD": { annualVolatility: 6 } })).toThrow(
      /BTC-USD: annualVolatility × regime.turbulentVolatilityMultiplier must be at most 5/,
    );
  });

  it("refuses malformed and repeated symbols and overrides of unknown ones", () => {
    expect(() => buildUniverse(["btc-usd"])).toThrow(/must look like/);
    expect(() => buildUniverse(["BTC-USD", "BTC-USD"])).toThrow(/twice/);
    expect(() => buildUniverse(["BTC-USD"], { "ETH-USD": {} })).toThrow(/not in SYMBOLS/);
  });
});
