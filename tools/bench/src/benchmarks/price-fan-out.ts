import { setMaxListeners } from "node:events";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { type ServerProcess, startServerProcess } from "../servers/server-process.js";
import { percentile, summarize } from "../stats.js";

/** The targets: ≥ 0.8 of the baseline's throughput and p99 < 50 ms at 100 subscribers. */
const TARGET_RATIO = 0.8;
const TICK_INTERVAL_MS = 100;

interface Side {
  readonly name: string;
  readonly server: ServerProcess;
  readonly transport: (protocol: Protocol) => Transport;
}
type Protocol = "grpc" | "connect";

interface Measurement {
  /** Updates per second in each window. */
  readonly throughput: number[];
  /** Arrival − quote timestamp, ms, every update. */
  readonly latencies: number[];
  readonly cpuPercent: number;
  readonly rssMb: number;
}

/** Opens `subscribers` streams of all symbols, measures `windows` windows of `windowMs`, closes. */
async function measure(
  side: Side,
  protocol: Protocol,
  subscribers: number,
  windows: number,
  windowMs: number,
): Promise<Measurement> {
  const client = createClient(MarketDataService, side.transport(protocol));
  const controller = new AbortController();
  // Every stream of the measurement listens to this one signal.
  setMaxListeners(subscribers + 10, controller.signal);
  let updates = 0;
  let recording = false;
  const latencies: number[] = [];
  const streams = Array.from({ length: subscribers }, async () => {
    try {
      for await (const response of client.streamPrices({}, { signal: controller.signal })) {
        if (!recording) continue;
        const now = Date.now();
        for (const quote of response.updates) {
          updates += 1;
          if (quote.timestamp !== undefined) latencies.push(now - timestampMs(quote.timestamp));
        }
      }
    } catch {
      // aborted at the end
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  recording = true;
  const throughput: number[] = [];
  const cpuBefore = side.server.cpuSeconds();
  const started = Date.now();
  for (let w = 0; w < windows; w++) {
    const before = updates;
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    throughput.push(((updates - before) * 1000) / (Date.now() - windowStart));
  }
  const cpuPercent = ((side.server.cpuSeconds() - cpuBefore) * 100_000) / (Date.now() - started);
  const rssMb = side.server.rssBytes() / 1_048_576;
  controller.abort();
  await Promise.all(streams);
  return { throughput, latencies, cpuPercent, rssMb };
}

/**
 * Price stream fan-out (issue 7 §1): the simulator (3 symbols, 10 ticks/s) against a bare
 * connect-node server sending pre-built batches of the same shape at the same rate, both as
 * processes, with 1/10/100/500 subscribers of all symbols over gRPC (h2c) and Connect
 * (HTTP/1.1) from this process. Reports updates/s delivered (ratio to the baseline),
 * tick-to-client latency p50/p99, and each server's CPU and RSS.
 */
export const priceFanOutBenchmark: Benchmark = {
  name: "price-fan-out",
  description: "StreamPrices fan-out of the simulator vs a bare connect-node stream server",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const simulator = await startServerProcess(
      "apps/market-data-simulator/src/main.ts",
      {
        HOST: "127.0.0.1",
        HTTP_PORT: "0",
        GRPC_PORT: "0",
        HISTORY_BACKFILL_HOURS: "0",
        TICK_INTERVAL_MS: String(TICK_INTERVAL_MS),
        MAX_SUBSCRIBERS: "2000",
        LOG_LEVEL: "info",
      },
      /listening on http :(\d+) and grpc :(\d+)/,
    );
    const [simulatorHttp, simulatorGrpc] = simulator.ports;
    const bare = await startServerProcess(
      "tools/bench/src/servers/bare-price-stream-server.ts",
      { TICK_INTERVAL_MS: String(TICK_INTERVAL_MS) },
      /listening on (\d+) (\d+)/,
    );
    const [bareH2c, bareHttp1] = bare.ports;
    const sides: Side[] = [
      {
        name: "simulator",
        server: simulator,
        transport: (protocol) =>
          protocol === "grpc"
            ? createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulatorGrpc}` })
            : createConnectTransport({
                baseUrl: `http://127.0.0.1:${simulatorHttp}`,
                httpVersion: "1.1",
              }),
      },
      {
        name: "bare",
        server: bare,
        transport: (protocol) =>
          protocol === "grpc"
            ? createGrpcTransport({ baseUrl: `http://127.0.0.1:${bareH2c}` })
            : createConnectTransport({
                baseUrl: `http://127.0.0.1:${bareHttp1}`,
                httpVersion: "1.1",
              }),
      },
    ];
    const comparisons: Comparison[] = [];
    const figures: Record<string, number> = {};
    try {
      for (const protocol of ["grpc", "connect"] as const) {
        for (const [index, subscribers] of (quick ? [1, 10, 100] : [1, 10, 100, 500]).entries()) {
          log(`${protocol}, ${subscribers} subscribers`);
          const order = index % 2 === 0 ? sides : [...sides].reverse();
          const results = new Map<string, Measurement>();
          for (const side of order) {
            results.set(
              side.name,
              await measure(side, protocol, subscribers, quick ? 2 : 5, 1_000),
            );
          }
          const candidate = results.get("simulator") as Measurement;
          const baseline = results.get("bare") as Measurement;
          const candidateStats = summarize(candidate.throughput);
          const baselineStats = summarize(baseline.throughput);
          comparisons.push({
            subject: `${protocol}, ${subscribers} subscribers`,
            unit: "updates/s",
            candidate: candidateStats,
            baselineName: "bare connect-node stream",
            baseline: baselineStats,
            ratio: candidateStats.median / baselineStats.median,
            ...(subscribers === 100 ? { target: TARGET_RATIO } : {}),
          });
          for (const [name, m] of results) {
            const sorted = [...m.latencies].sort((a, b) => a - b);
            const key = `${protocol} ${subscribers} subs ${name}`;
            if (sorted.length > 0) {
              figures[`${key} latency p50 ms`] = percentile(sorted, 50);
              figures[`${key} latency p99 ms`] = percentile(sorted, 99);
            }
            figures[`${key} cpu %`] = Math.round(m.cpuPercent);
            figures[`${key} rss MB`] = Math.round(m.rssMb);
          }
        }
      }
    } finally {
      await Promise.all([simulator.stop(), bare.stop()]);
    }
    return { name: "price-fan-out", comparisons, figures };
  },
};
