import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { interleavedRounds } from "../interleaved-rounds.js";
import { startServerProcess } from "../servers/server-process.js";

/** The target: GetQuote at ≥ 0.85 of a bare connect-node handler's requests/s. */
const TARGET_RATIO = 0.85;

/** `requests` GetQuote calls over `concurrency` parallel loops; resolves to the count. */
async function load(
  client: Client<typeof MarketDataService>,
  requests: number,
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      await client.getQuote({ symbol: "BTC-USD" });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return requests;
}

/**
 * Unary RPC (issue 7 §2): `GetQuote` of the real simulator process (service kit, metrics,
 * validation, the live engine) against a bare connect-node server returning a pre-built quote,
 * both over gRPC (h2c) from this process, at concurrency 1, 16 and 64, in interleaved rounds.
 */
export const unaryRpcBenchmark: Benchmark = {
  name: "unary-rpc",
  description: "GetQuote through the simulator vs a bare connect-node handler (gRPC, h2c)",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    // The listening line is logged at info; the rest of the run logs little.
    const simulator = await startServerProcess(
      "apps/market-data-simulator/src/main.ts",
      {
        HOST: "127.0.0.1",
        HTTP_PORT: "0",
        GRPC_PORT: "0",
        HISTORY_BACKFILL_HOURS: "0",
        LOG_LEVEL: "info",
      },
      /grpc :(\d+)/,
    );
    const bare = await startServerProcess(
      "tools/bench/src/servers/bare-market-data-server.ts",
      {},
      /listening on (\d+)/,
    );
    const comparisons: Comparison[] = [];
    try {
      const candidate = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.ports[0]}` }),
      );
      const baseline = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${bare.ports[0]}` }),
      );
      const requests = quick ? 2_000 : 10_000;
      for (const concurrency of [1, 16, 64]) {
        log(`concurrency ${concurrency}: ${requests} requests per round`);
        const result = await interleavedRounds({
          rounds: quick ? 3 : 7,
          warmup: 1,
          candidate: () => load(candidate, requests, concurrency),
          baseline: () => load(baseline, requests, concurrency),
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
      }
    } finally {
      await Promise.all([simulator.stop(), bare.stop()]);
    }
    return { name: "unary-rpc", comparisons, figures: {} };
  },
};
