import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Benchmark, BenchmarkContext, BenchmarkResult, LimitCheck } from "../benchmark.js";
import { openIdlePriceStreams } from "../load/idle-price-streams.js";
import {
  type ServerProcess,
  startServerProcess,
  startTogether,
} from "../servers/server-process.js";
import { startSimulatorProcess } from "../servers/simulator-process.js";

/** The bound: one idle subscriber stream costs the simulator at most 64 KB of RSS. */
const MAX_KB_PER_STREAM = 64;
/** One tick a minute (the slowest the setting allows): the streams stay idle while measured. */
const IDLE_TICK_MS = "60000";

interface PerStream {
  readonly rssKb: number;
  readonly heapKb: number;
}

/** RSS and heap (after GC) the server gains per idle stream when `count` streams open. */
async function perStream(server: ServerProcess, grpcPort: number, count: number) {
  const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` });
  // Streams opened first and held, so what is counted is the marginal cost of a stream, not the
  // one-time costs (HTTP/2 session, compiled code, the young generation growing to its size).
  const warm = await openIdlePriceStreams(transport, Math.max(100, count / 4));
  const before = await server.memoryAfterGc();
  const streams = await openIdlePriceStreams(transport, count);
  const after = await server.memoryAfterGc();
  await streams.close();
  await warm.close();
  return {
    rssKb: (after.rssBytes - before.rssBytes) / 1024 / count,
    heapKb: (after.heapUsedBytes - before.heapUsedBytes) / 1024 / count,
  } satisfies PerStream;
}

/**
 * Memory per idle subscriber stream (issue 7 §5): with a quarter as many streams already open,
 * opens 2 000 (quick: 500) more one-symbol StreamPrices streams over gRPC on a simulator ticking
 * once a minute, and divides the growth of its RSS and of its heap after a full GC by the count. The bare connect-node stream server
 * holding as many streams is measured the same way, for scale.
 */
export const idleStreamMemoryBenchmark: Benchmark = {
  name: "idle-stream-memory",
  description: "RSS and heap per idle StreamPrices stream, simulator and bare server",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const count = quick ? 400 : 2_000;
    const [simulator, bare] = await startTogether([
      startSimulatorProcess(
        { TICK_INTERVAL_MS: IDLE_TICK_MS, MAX_SUBSCRIBERS: "10000" },
        { heapProbe: true },
      ),
      startServerProcess(
        "tools/bench/dist/servers/bare-price-stream-server.js",
        { TICK_INTERVAL_MS: IDLE_TICK_MS },
        /listening on (\d+) (\d+)/,
        { heapProbe: true },
      ),
    ] as const);
    try {
      log(`${count} idle streams on the simulator`);
      const candidate = await perStream(simulator, simulator.grpcPort, count);
      log(`${count} idle streams on the bare server`);
      const baseline = await perStream(bare, bare.ports[0] ?? 0, count);
      const limits: LimitCheck[] = [
        {
          subject: `simulator RSS per idle stream (${count} streams)`,
          unit: "KB",
          value: candidate.rssKb,
          max: MAX_KB_PER_STREAM,
        },
      ];
      return {
        name: "idle-stream-memory",
        comparisons: [],
        limits,
        figures: {
          "simulator heap KB per stream": Number(candidate.heapKb.toFixed(1)),
          "bare RSS KB per stream": Number(baseline.rssKb.toFixed(1)),
          "bare heap KB per stream": Number(baseline.heapKb.toFixed(1)),
        },
      };
    } finally {
      await Promise.all([simulator.stop(), bare.stop()]);
    }
  },
};
