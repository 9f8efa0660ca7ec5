import { resolveStrategyLimits } from "../../../../apps/trading-engine/src/domain/engine/strategy-lifecycle.js";
import { TradingEngine } from "../../../../apps/trading-engine/src/domain/engine/trading-engine.js";
import { PaperVenue } from "../../../../apps/trading-engine/src/domain/execution/paper-venue.js";
import { Portfolio } from "../../../../apps/trading-engine/src/domain/portfolio/portfolio.js";
import { RiskManager } from "../../../../apps/trading-engine/src/domain/risk/risk-manager.js";
import type { MarketQuote } from "../../../../apps/trading-engine/src/domain/shared/market-quote.js";
import { MarketMakingStrategy } from "../../../../apps/trading-engine/src/domain/strategies/market-making.js";
import { MeanReversionStrategy } from "../../../../apps/trading-engine/src/domain/strategies/mean-reversion.js";
import type { Benchmark, BenchmarkContext, BenchmarkResult } from "../benchmark.js";
import { interleavedRounds } from "../interleaved-rounds.js";
import { percentile } from "../stats.js";

const T0 = Date.UTC(2026, 10, 23);
const QUOTE_INTERVAL_MS = 100;
/** BTC-USD's order grid as the simulator lists it. */
const BTC_RULES = {
  rulesOf: () => ({ tickSize: 0.01, lotSize: 0.00001, minQuantity: 0.00001, maxQuantity: 250 }),
};

/** The baseline: the same engine with every pre-trade check passing without being evaluated. */
class RiskChecksOff extends RiskManager {
  override check(): undefined {
    return undefined;
  }
}

/** A seeded random walk around 65 000 with a 1 bp spread, one quote per 100 ms. */
function quotes(count: number, seed: number): MarketQuote[] {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  let mid = 65_000;
  return Array.from({ length: count }, (_, i) => {
    mid *= 1 + (random() - 0.5) * 0.001;
    const half = mid * 0.00005;
    return {
      instrument: "BTC-USD",
      bid: mid - half,
      ask: mid + half,
      bidSize: 2,
      askSize: 2,
      last: mid,
      timestamp: T0 + i * QUOTE_INTERVAL_MS,
    };
  });
}

/**
 * An engine as the service wires it (paper venue with fees and slippage, portfolio, risk
 * manager), trading one market maker that refreshes 3 levels a side on every quote.
 */
function engineWith(risk: RiskManager) {
  let ids = 0;
  const engine = new TradingEngine(
    {
      venue: new PaperVenue(
        { takerFeeBps: 10, makerFeeBps: 2, slippageBps: 1 },
        () => `f${++ids}`,
        BTC_RULES,
      ),
      instrumentRules: BTC_RULES,
      risk,
      portfolio: new Portfolio(10_000_000),
      createStrategy: (type, parameters) =>
        type === "market_making"
          ? new MarketMakingStrategy(parameters)
          : new MeanReversionStrategy(parameters),
      newId: () => `o${++ids}`,
      onChanges: () => undefined,
    },
    { orderTimeoutMs: 60_000, cooldownMs: 0, maxQuoteAgeMs: 5_000 },
  );
  engine.startStrategy(
    {
      id: "mm",
      name: "bench market maker",
      type: "market_making",
      instruments: ["BTC-USD"],
      strategy: new MarketMakingStrategy({
        orderQuantity: 0.01,
        levels: 3,
        spreadBps: 2,
        refreshIntervalMs: QUOTE_INTERVAL_MS,
      }),
      limits: resolveStrategyLimits({}),
    },
    T0,
  );
  return engine;
}

const limits = {
  maxPositionSize: 1_000,
  instrumentMaxPositionSizes: {},
  maxTotalNotional: 1e12,
  maxGrossLeverage: 1_000,
  maxOrdersPerSecond: 0,
  maxDrawdown: 0,
};

/**
 * Runs the quotes through a fresh engine; resolves to the orders placed, and pushes the time
 * of every `onQuote` that placed at least one order (quote-to-order decision latency, ms).
 */
async function trade(risk: RiskManager, feed: readonly MarketQuote[], latencies: number[]) {
  const engine = engineWith(risk);
  let placed = 0;
  for (const quote of feed) {
    const before = engine.performance("mm").orderCount;
    const started = performance.now();
    engine.onQuote(quote, quote.timestamp);
    const elapsed = performance.now() - started;
    const after = engine.performance("mm").orderCount;
    if (after > before) latencies.push(elapsed);
    placed += after - before;
  }
  return placed;
}

/**
 * Trading engine (issue 7 §6): quotes through the engine in process — a market maker deciding,
 * pre-trade risk checks, the paper venue filling, the portfolio marking — against the same
 * path with the risk checks off, in interleaved rounds. Reports orders/s through each and the
 * quote-to-order decision latency p50/p99 (the `onQuote` calls that placed orders).
 */
export const tradingEngineBenchmark: Benchmark = {
  name: "trading-engine",
  description: "quote → decision → risk checks → paper venue, in process, vs risk checks off",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const feed = quotes(quick ? 3_000 : 20_000, 42);
    const withRisk: number[] = [];
    const withoutRisk: number[] = [];
    log(`${feed.length} quotes per round`);
    const result = await interleavedRounds({
      rounds: quick ? 3 : 7,
      warmup: 1,
      candidate: () => trade(new RiskManager(limits), feed, withRisk),
      baseline: () => trade(new RiskChecksOff(limits), feed, withoutRisk),
    });
    const figures: Record<string, number> = {};
    for (const [name, latencies] of [
      ["risk checks on", withRisk],
      ["risk checks off", withoutRisk],
    ] as const) {
      latencies.sort((a, b) => a - b);
      figures[`${name}: decision latency p50 µs`] = Math.round(percentile(latencies, 50) * 1000);
      figures[`${name}: decision latency p99 µs`] = Math.round(percentile(latencies, 99) * 1000);
    }
    return {
      name: "trading-engine",
      comparisons: [
        {
          subject: "orders through risk checks and the paper venue",
          unit: "orders/s",
          candidate: result.candidate,
          baselineName: "same path, risk checks off",
          baseline: result.baseline,
          ratio: result.candidate.median / result.baseline.median,
        },
      ],
      figures,
    };
  },
};
