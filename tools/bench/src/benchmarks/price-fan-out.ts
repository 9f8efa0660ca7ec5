import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { measurePriceStreams, type PriceStreamMeasurement } from "../load/price-streams.js";
import {
  type ServerProcess,
  startServerProcess,
  startTogether,
} from "../servers/server-process.js";
import { startSimulatorProcess } from "../servers/simulator-process.js";
import { percentile, summarize } from "../stats.js";

/** The targets: ≥ 0.8 of the baseline's throughput and p99 < 50 ms at 100 subscribers. */
const TARGET_RATIO = 0.8;
const TICK_INTERVAL_MS = 100;
/** Where the knee is: the subscriber count whose p99 tick-to-client latency passes this. */
const KNEE_P99_MS = 100;
/** Subscriber counts tried (gRPC, simulator only) until p99 passes the knee. */
const KNEE_STEPS = [150, 200, 250, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000];

interface Side {
  readonly name: string;
  readonly server: ServerProcess;
  readonly transport: (protocol: Protocol) => Transport;
}
type Protocol = "grpc" | "connect";

function p99(m: PriceStreamMeasurement): number {
  return m.latencies.length === 0
    ? Number.POSITIVE_INFINITY
    : percentile(
        [...m.latencies].sort((a, b) => a - b),
        99,
      );
}

/**
 * Price stream fan-out (issue 7 §1): the simulator (3 symbols, 10 ticks/s) against a bare
 * connect-node server sending pre-built batches of the same shape at the same rate, both as
 * processes, with 1/10/100/500 (quick: 100) subscribers of all symbols over gRPC (h2c) and Connect
 * (HTTP/1.1) from this process. Reports updates/s delivered (ratio to the baseline),
 * tick-to-client latency p50/p99, and each server's CPU and RSS. The full run then adds gRPC
 * subscribers to the simulator until p99 passes 100 ms: the knee. Past a few thousand streams
 * this one client process is busy too, so the knee is a lower bound for the server alone.
 */
export const priceFanOutBenchmark: Benchmark = {
  name: "price-fan-out",
  description: "StreamPrices fan-out of the simulator vs a bare connect-node stream server",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const [simulator, bare] = await startTogether([
      startSimulatorProcess({
        TICK_INTERVAL_MS: String(TICK_INTERVAL_MS),
        MAX_SUBSCRIBERS: "10000",
      }),
      startServerProcess(
        "tools/bench/dist/servers/bare-price-stream-server.js",
        { TICK_INTERVAL_MS: String(TICK_INTERVAL_MS) },
        /listening on (\d+) (\d+)/,
      ),
    ] as const);
    const [bareH2c, bareHttp1] = bare.ports;
    const sides: Side[] = [
      {
        name: "simulator",
        server: simulator,
        transport: (protocol) =>
          protocol === "grpc"
            ? createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.grpcPort}` })
            : createConnectTransport({
                baseUrl: `http://127.0.0.1:${simulator.httpPort}`,
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
        for (const [index, subscribers] of (quick ? [100] : [1, 10, 100, 500]).entries()) {
          log(`${protocol}, ${subscribers} subscribers`);
          const order = index % 2 === 0 ? sides : [...sides].reverse();
          const results = new Map<string, PriceStreamMeasurement>();
          for (const side of order) {
            results.set(
              side.name,
              await measurePriceStreams(side.transport(protocol), side.server, {
                subscribers,
                windows: quick ? 1 : 5,
                windowMs: 1_000,
              }),
            );
          }
          const candidate = results.get("simulator") as PriceStreamMeasurement;
          const baseline = results.get("bare") as PriceStreamMeasurement;
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
      if (!quick) {
        const knee = await findKnee(sides[0], log);
        if (knee === undefined) figures["grpc knee beyond subscribers"] = KNEE_STEPS.at(-1) ?? 0;
        else figures[`grpc knee subscribers (p99 > ${KNEE_P99_MS} ms)`] = knee;
      }
    } finally {
      await Promise.all([simulator.stop(), bare.stop()]);
    }
    return { name: "price-fan-out", comparisons, figures };
  },
};

/**
 * The first subscriber count of {@link KNEE_STEPS} at which the simulator's p99
 * tick-to-client latency over gRPC passes {@link KNEE_P99_MS}; `undefined` when none does.
 */
async function findKnee(
  simulator: Side | undefined,
  log: (line: string) => void,
): Promise<number | undefined> {
  if (simulator === undefined) return undefined;
  for (const subscribers of KNEE_STEPS) {
    const m = await measurePriceStreams(simulator.transport("grpc"), simulator.server, {
      subscribers,
      windows: 3,
      windowMs: 1_000,
    });
    log(`knee search: ${subscribers} gRPC subscribers, p99 ${Math.round(p99(m))} ms`);
    if (p99(m) > KNEE_P99_MS) return subscribers;
  }
  return undefined;
}
