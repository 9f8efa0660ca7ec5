import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { getQuoteLoad } from "../load/get-quote-load.js";
import { measurePriceStreams } from "../load/price-streams.js";
import { startTogether } from "../servers/server-process.js";
import { type SimulatorProcess, startSimulatorProcess } from "../servers/simulator-process.js";
import { percentile, summarize } from "../stats.js";

/** The target: metrics cost at most 10 %, i.e. ≥ 0.9 of the work per CPU second. */
const TARGET_RATIO = 0.9;
const STREAM_SUBSCRIBERS = 100;

/**
 * Runs `trial` on both sides at the same time, `rounds` times after one warm-up: both see the
 * same machine load in every round, which on a shared machine steadies their ratio more than
 * taking turns does.
 */
async function together(
  sides: readonly [SimulatorProcess, SimulatorProcess],
  rounds: number,
  trial: (side: SimulatorProcess) => Promise<number>,
): Promise<[number[], number[]]> {
  const results: [number[], number[]] = [[], []];
  for (let round = 0; round <= rounds; round++) {
    const [first, second] = await Promise.all([trial(sides[0]), trial(sides[1])]);
    if (round > 0) {
      results[0].push(first);
      results[1].push(second);
    }
  }
  return results;
}

function comparison(subject: string, unit: string, [on, off]: [number[], number[]]): Comparison {
  const candidate = summarize(on);
  const baseline = summarize(off);
  return {
    subject,
    unit,
    candidate,
    baselineName: "METRICS_BACKEND=none",
    baseline,
    // Both sides are measured in the same window each round: the ratio is the median of the
    // rounds' ratios, so that a round the machine slowed down for both counts as one round.
    ratio: summarize(on.map((value, round) => value / (off[round] ?? Number.NaN))).median,
    target: TARGET_RATIO,
  };
}

/**
 * Metrics overhead (issue 7 §3): two simulator processes, one with the default Prometheus
 * metrics and one with `METRICS_BACKEND=none`, under the same unary (GetQuote, concurrency 16)
 * and streaming (100 gRPC subscribers) loads, both sides loaded at once in every round: taking
 * turns, the ratios swung ±10 % between runs on this shared machine, and an A/A run (both sides
 * with metrics) gave 0.89 for unary; loaded together, an A/A run gives 1.02. The cost is
 * measured as work per server CPU second (requests, delivered updates), because one client
 * process limits requests/s before either server does. Then the time to render `/metrics` at
 * the series count the loaded service really has.
 */
export const metricsOverheadBenchmark: Benchmark = {
  name: "metrics-overhead",
  description:
    "the simulator with Prometheus metrics vs METRICS_BACKEND=none (work per CPU second)",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const env = { TICK_INTERVAL_MS: "100", MAX_SUBSCRIBERS: "10000" };
    const sides = await startTogether([
      startSimulatorProcess(env),
      startSimulatorProcess({ ...env, METRICS_BACKEND: "none" }),
    ] as const);
    const figures: Record<string, number> = {};
    const comparisons: Comparison[] = [];
    try {
      const rounds = quick ? 2 : 9;
      const requests = quick ? 500 : 4_000;
      log(`unary: ${requests} GetQuote at concurrency 16 per side and round, both sides at once`);
      const unary = await together(sides, rounds, async (side) => {
        const client = createClient(
          MarketDataService,
          createGrpcTransport({ baseUrl: `http://127.0.0.1:${side.grpcPort}` }),
        );
        const before = side.cpuSeconds();
        await getQuoteLoad(client, requests, 16);
        return requests / (side.cpuSeconds() - before);
      });
      comparisons.push(comparison("GetQuote, concurrency 16", "req/cpu-s", unary));

      log(`streaming: ${STREAM_SUBSCRIBERS} gRPC subscribers per side, both sides at once`);
      const streaming = await together(sides, quick ? 1 : 9, async (side) => {
        const m = await measurePriceStreams(
          createGrpcTransport({ baseUrl: `http://127.0.0.1:${side.grpcPort}` }),
          side,
          { subscribers: STREAM_SUBSCRIBERS, windows: quick ? 1 : 5, windowMs: 1_000 },
        );
        const updatesPerSecond = m.throughput.reduce((a, b) => a + b, 0) / m.throughput.length;
        return updatesPerSecond / (m.cpuPercent / 100);
      });
      comparisons.push(
        comparison(`StreamPrices, ${STREAM_SUBSCRIBERS} subscribers`, "updates/cpu-s", streaming),
      );

      log("/metrics render time");
      const renders: number[] = [];
      let series = 0;
      let bytes = 0;
      for (let i = 0; i < (quick ? 20 : 100); i++) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${sides[0].httpPort}/metrics`);
        const body = await response.text();
        renders.push(performance.now() - started);
        bytes = body.length;
        series = body.split("\n").filter((line) => line !== "" && !line.startsWith("#")).length;
      }
      renders.sort((a, b) => a - b);
      figures["/metrics render p50 ms"] = Number(percentile(renders, 50).toFixed(2));
      figures["/metrics render p99 ms"] = Number(percentile(renders, 99).toFixed(2));
      figures["/metrics series"] = series;
      figures["/metrics bytes"] = bytes;
    } finally {
      await Promise.all(sides.map((side) => side.stop()));
    }
    return { name: "metrics-overhead", comparisons, figures };
  },
};
