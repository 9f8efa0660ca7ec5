import { createGrpcTransport } from "@connectrpc/connect-node";
import { deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import postgres from "postgres";
import type { Benchmark, BenchmarkContext, BenchmarkResult } from "../benchmark.js";
import { openIdlePriceStreams } from "../load/idle-price-streams.js";
import { BENCH_POSTGRES_URL, BENCH_REDIS_URL } from "../servers/bench-servers.js";
import type { MemoryAfterGc } from "../servers/server-process.js";
import { startSimulatorProcess } from "../servers/simulator-process.js";

/** The bound: heap after GC grows less than 10 % from minute 2 to the last minute. */
const MAX_GROWTH_PERCENT = 10;
const SUBSCRIBERS = 100;
const MINUTE_MS = 60_000;

/**
 * Soak (issue 7 §5): a simulator deployed as in production — Postgres (candles, price feeds,
 * snapshots) and Redis (quotes, price streams, discovery) — ticking 10 times a second, with 100
 * gRPC subscribers of every symbol, for 10 minutes (`--quick`: 3); its heap after a full GC is
 * read every minute. Reports the growth from minute 2 to the end and the RSS at the end. Opt-in
 * (`--only soak`), because it takes as long as it takes.
 *
 * Without Redis the embedded quote store keeps each symbol's price stream in the heap, capped
 * at 10 000 quotes: at 30 quotes/s it is still filling (about 6 MB) during these 10 minutes,
 * which is growth up to a bound rather than a leak, so that store is not what this measures.
 */
export const soakBenchmark: Benchmark = {
  name: "soak",
  description: "10 minutes, 100 subscribers, persistence on: heap after GC, minute 2 → end",
  optIn: true,
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const minutes = quick ? 3 : 10;
    // A fixed name: the price streams it leaves in Redis (capped at 10 000 quotes a symbol) are
    // the ones the next run writes to, so runs do not pile up keys on a shared server.
    const instance = "market-data-sim-bench-soak";
    const schema = quoteIdentifier(deriveSchema(instance));
    const sql = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => undefined });
    const simulator = await startSimulatorProcess(
      {
        SERVICE_INSTANCE_NAME: instance,
        POSTGRES_URL: BENCH_POSTGRES_URL,
        REDIS_URL: BENCH_REDIS_URL,
        TICK_INTERVAL_MS: "100",
        PRICE_FEED_PERSIST_INTERVAL_MS: "100",
      },
      { heapProbe: true },
    );
    const samples: MemoryAfterGc[] = [];
    try {
      // Updates flow to every subscriber; "idle" only means the client does nothing with them.
      const streams = await openIdlePriceStreams(
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.grpcPort}` }),
        SUBSCRIBERS,
        [],
      );
      samples.push(await simulator.memoryAfterGc());
      for (let minute = 1; minute <= minutes; minute++) {
        await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
        const sample = await simulator.memoryAfterGc();
        samples.push(sample);
        log(`minute ${minute}: heap ${(sample.heapUsedBytes / 1_048_576).toFixed(1)} MB`);
      }
      await streams.close();
      const [rows] = await sql.unsafe<[{ candles: number; feeds: number }]>(
        `select (select count(*) from ${schema}.candles)::int as candles,
                (select count(*) from ${schema}.price_feeds)::int as feeds`,
      );
      const from = samples[2] ?? samples[0];
      const to = samples.at(-1);
      if (from === undefined || to === undefined) throw new Error("no heap samples");
      const growth = ((to.heapUsedBytes - from.heapUsedBytes) * 100) / from.heapUsedBytes;
      return {
        name: "soak",
        comparisons: [],
        limits: [
          {
            subject: `heap growth after GC, minute 2 → ${minutes}`,
            unit: "%",
            value: growth,
            max: MAX_GROWTH_PERCENT,
          },
        ],
        figures: {
          "heap MB at minute 2": Number((from.heapUsedBytes / 1_048_576).toFixed(1)),
          [`heap MB at minute ${minutes}`]: Number((to.heapUsedBytes / 1_048_576).toFixed(1)),
          [`rss MB at minute ${minutes}`]: Math.round(to.rssBytes / 1_048_576),
          "candles stored": rows?.candles ?? 0,
          "price feeds stored": rows?.feeds ?? 0,
        },
      };
    } finally {
      await simulator.stop();
      await sql.unsafe(`drop schema if exists ${schema} cascade`);
      await sql.end();
    }
  },
};
