import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { interleavedRounds } from "../interleaved-rounds.js";
import { getQuoteLoad } from "../load/get-quote-load.js";
import { CpuMeter } from "../servers/cpu-meter.js";
import { startServerProcess, startTogether } from "../servers/server-process.js";
import { startSimulatorProcess } from "../servers/simulator-process.js";

/** The target: GetQuote at ≥ 0.85 of a bare connect-node handler's requests/s. */
const TARGET_RATIO = 0.85;

/**
 * Unary RPC (issue 7 §2): `GetQuote` of the real simulator process (service kit, metrics,
 * validation, the live engine) against a bare connect-node server returning a pre-built quote,
 * both over gRPC (h2c) from this process, at concurrency 1, 16 and 64, in interleaved rounds.
 * Requests/s is what the issue targets; each server's CPU time per request is reported too,
 * because with one client process the client, not the server, is often what limits requests/s.
 */
export const unaryRpcBenchmark: Benchmark = {
  name: "unary-rpc",
  description: "GetQuote through the simulator vs a bare connect-node handler (gRPC, h2c)",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const [simulator, bare] = await startTogether([
      startSimulatorProcess(),
      startServerProcess(
        "tools/bench/dist/servers/bare-market-data-server.js",
        {},
        /listening on (\d+)/,
      ),
    ] as const);
    const comparisons: Comparison[] = [];
    const figures: Record<string, number> = {};
    try {
      const candidate = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.grpcPort}` }),
      );
      const baseline = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${bare.ports[0]}` }),
      );
      const requests = quick ? 500 : 3_000;
      for (const concurrency of [1, 16, 64]) {
        log(`concurrency ${concurrency}: ${requests} requests per round`);
        const candidateCpu = new CpuMeter(simulator);
        const baselineCpu = new CpuMeter(bare);
        const result = await interleavedRounds({
          rounds: quick ? 2 : 5,
          warmup: 1,
          candidate: () =>
            candidateCpu.measure(() => getQuoteLoad(candidate, requests, concurrency)),
          baseline: () => baselineCpu.measure(() => getQuoteLoad(baseline, requests, concurrency)),
        });
        comparisons.push({
          subject: `GetQuote, concurrency ${concurrency}`,
          unit: "req/s",
          candidate: result.candidate,
          baselineName: "bare connect-node handler",
          baseline: result.baseline,
          ratio: result.candidate.median / result.baseline.median,
          target: TARGET_RATIO,
        });
        figures[`concurrency ${concurrency} simulator cpu µs/request`] = Math.round(
          candidateCpu.microsecondsPerUnit(),
        );
        figures[`concurrency ${concurrency} bare cpu µs/request`] = Math.round(
          baselineCpu.microsecondsPerUnit(),
        );
      }
    } finally {
      await Promise.all([simulator.stop(), bare.stop()]);
    }
    return { name: "unary-rpc", comparisons, figures };
  },
};
