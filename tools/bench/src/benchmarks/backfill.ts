import { deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import postgres from "postgres";
import type { Benchmark, BenchmarkContext, BenchmarkResult } from "../benchmark.js";
import { BENCH_POSTGRES_URL } from "../servers/bench-servers.js";
import { startSimulatorProcess } from "../servers/simulator-process.js";

const SYMBOLS = "BTC-USD,ETH-USD,SOL-USD";
/** How long the stored rows may take to catch up with the simulated ones before it is a failure. */
const STORE_DEADLINE_MS = 300_000;

/**
 * Backfill (issue 7 §4): a simulator started with Postgres and `HISTORY_BACKFILL_HOURS=720`
 * (30 days; `--quick`: 6 hours) for 3 symbols simulates the history at start and writes every
 * closed candle of every interval through the adapter's write-behind queue. Reports the seconds
 * from spawn until it listens (history simulated), until every backfilled candle is in the
 * table, and the candle rows written per second.
 */
export const backfillBenchmark: Benchmark = {
  name: "backfill",
  description: "simulator start with 30 days of history for 3 symbols into Postgres",
  async run({ quick, log }: BenchmarkContext): Promise<BenchmarkResult> {
    const days = quick ? 0.25 : 30;
    const instance = `market-data-sim-bench-backfill-${process.pid}`;
    const schema = quoteIdentifier(deriveSchema(instance));
    const sql = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => undefined });
    await sql.unsafe(`drop schema if exists ${schema} cascade`);
    const started = performance.now();
    const simulator = await startSimulatorProcess({
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: BENCH_POSTGRES_URL,
      SYMBOLS,
      HISTORY_BACKFILL_HOURS: String(days * 24),
    });
    try {
      const listeningSeconds = (performance.now() - started) / 1000;
      const backfilled = Number(/"backfilled":(\d+)/.exec(simulator.output())?.[1] ?? Number.NaN);
      if (!(backfilled > 0)) throw new Error(`no backfill count in:\n${simulator.output()}`);
      log(
        `${backfilled} candles simulated in ${listeningSeconds.toFixed(1)} s; waiting for Postgres`,
      );
      let stored = 0;
      const giveUpAt = performance.now() + STORE_DEADLINE_MS;
      while (stored < backfilled) {
        if (performance.now() > giveUpAt) {
          throw new Error(`only ${stored} of ${backfilled} backfilled candles were stored`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
        const [row] = await sql.unsafe<[{ count: number }]>(
          `select count(*)::int as count from ${schema}.candles`,
        );
        stored = row?.count ?? 0;
      }
      const storedSeconds = (performance.now() - started) / 1000;
      return {
        name: "backfill",
        comparisons: [],
        figures: {
          [`${days} days × 3 symbols: candles (all intervals)`]: backfilled,
          "seconds to listening (history simulated)": Number(listeningSeconds.toFixed(1)),
          "seconds until every candle is stored": Number(storedSeconds.toFixed(1)),
          "candle rows stored per second": Math.round(backfilled / storedSeconds),
        },
      };
    } finally {
      await simulator.stop();
      await sql.unsafe(`drop schema if exists ${schema} cascade`);
      await sql.end();
    }
  },
};
