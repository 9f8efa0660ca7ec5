import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { interleavedRounds } from "../interleaved-rounds.js";

/** The target: GetQuote at ≥ 0.85 of a bare connect-node handler's requests/s. */
const TARGET_RATIO = 0.85;

const repo = fileURLToPath(new URL("../../../../", import.meta.url));

/** Starts a server process and resolves with it and the port it reports. */
function startServer(args: readonly string[], env: Record<string, string>, portPattern: RegExp) {
  return new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@tse/source", "--import", "tsx", ...args],
      {
        cwd: repo,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (match?.[1] !== undefined) {
        child.stdout?.off("data", onData);
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`server exited ${code} before listening:\n${output}`)),
    );
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

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
    const simulator = await startServer(
      ["apps/market-data-simulator/src/main.ts"],
      {
        HOST: "127.0.0.1",
        HTTP_PORT: "0",
        GRPC_PORT: "0",
        HISTORY_BACKFILL_HOURS: "0",
        LOG_LEVEL: "info",
      },
      /grpc :(\d+)/,
    );
    const bare = await startServer(
      ["tools/bench/src/servers/bare-market-data-server.ts"],
      {},
      /listening on (\d+)/,
    );
    const comparisons: Comparison[] = [];
    try {
      const candidate = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.port}` }),
      );
      const baseline = createClient(
        MarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${bare.port}` }),
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
      await Promise.all([stop(simulator.child), stop(bare.child)]);
    }
    return { name: "unary-rpc", comparisons, figures: {} };
  },
};
