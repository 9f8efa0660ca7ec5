import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import {
  type CandleInput,
  createMarketDataAdapter,
  DEFAULT_BUFFERED_WRITES,
  type MarketDataAdapter,
  type PriceFeedInput,
} from "@tse/market-data-adapter";
import postgres from "postgres";
import type { Benchmark, BenchmarkContext, BenchmarkResult, Comparison } from "../benchmark.js";
import { interleavedRounds } from "../interleaved-rounds.js";
import { BENCH_POSTGRES_URL } from "../servers/bench-servers.js";

/** The target: the adapter writes at least 0.7 of raw COPY's rows/s. */
const TARGET_RATIO = 0.7;

const MINUTE = 60_000;

/** Rows per trial of the small-batch case. */
const SMALL_BATCH_ROWS = 20_000;
const T0 = Date.UTC(2026, 0, 1);

/** `count` candles of 7 symbols, starting `trial` × `count` minutes after T0 (new keys per trial). */
function candles(count: number, trial: number): CandleInput[] {
  const first = trial * count;
  return Array.from({ length: count }, (_, j) => {
    const i = first + j;
    const base = 100 + (i % 1000) / 10;
    return {
      symbol: `S${i % 7}-USD`,
      interval: "1m",
      open: base,
      high: base + 1.25,
      low: base - 0.75,
      close: base + 0.5,
      volume: 10 + (i % 13),
      startTime: new Date(T0 + Math.floor(i / 7) * MINUTE),
    };
  });
}

function priceFeeds(count: number, trial: number): PriceFeedInput[] {
  const first = trial * count;
  return Array.from({ length: count }, (_, j) => {
    const i = first + j;
    return {
      symbol: `S${i % 7}-USD`,
      price: 100 + (i % 1000) / 100,
      bid: 99.5,
      ask: 110.5,
      volume24h: 1000 + i,
      timestamp: new Date(T0 + i * 100),
    };
  });
}

/** Text-format COPY lines: tab-separated, one row per line (no value here needs escaping). */
function* candleCopyLines(rows: readonly CandleInput[]): Generator<string> {
  for (const c of rows) {
    const end = new Date(c.startTime.getTime() + MINUTE);
    yield `${c.symbol}\t${c.interval}\t${c.open}\t${c.high}\t${c.low}\t${c.close}\t${c.volume}\t${c.startTime.toISOString()}\t${end.toISOString()}\t0\t{}\n`;
  }
}

function* feedCopyLines(rows: readonly PriceFeedInput[]): Generator<string> {
  for (const f of rows) {
    yield `${f.symbol}\t${f.price}\t${f.bid}\t${f.ask}\t${f.volume24h}\tsimulator\t${f.timestamp.toISOString()}\t{}\n`;
  }
}

async function copyInto(
  sql: postgres.Sql,
  table: string,
  columns: string,
  lines: Iterable<string>,
): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  // One chunk per ~1 000 rows: what a careful hand-written COPY loader would send.
  async function* chunks() {
    let chunk = "";
    let n = 0;
    for (const line of lines) {
      chunk += line;
      if (++n % 1000 === 0) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk !== "") yield chunk;
  }
  await pipeline(Readable.from(chunks()), writable);
}

/**
 * Candle upserts and price-feed inserts through the market-data adapter — its repositories
 * (one call per batch of 5 000) and its write-behind buffer (enqueue + flush, as the simulator
 * writes) — against raw postgres.js `COPY … FROM STDIN` of the same rows into the same table,
 * alternating per round. Before every trial (untimed) the table is emptied and new rows are
 * generated, later in time than the last trial's, as a backfill or a catch-up flush writes them.
 */
export const persistenceBenchmark: Benchmark = {
  name: "persistence",
  description: "adapter writes vs raw postgres.js COPY (rows/s), target ≥ 0.7",
  async run(context: BenchmarkContext): Promise<BenchmarkResult> {
    const rowsPerRound = context.quick ? 5_000 : 100_000;
    const rounds = context.quick ? 3 : 5;
    const schema = `bench_persistence_${process.pid}`;
    const admin = postgres(BENCH_POSTGRES_URL, { max: 1, onnotice: () => undefined });
    const adapter = createMarketDataAdapter({
      identity: { schema, redisNamespace: `bench:${process.pid}:` },
      postgresUrl: BENCH_POSTGRES_URL,
      postgres: { maxConnections: 4 },
      writes: { flushIntervalMs: 60_000 },
    });
    const raw = postgres(BENCH_POSTGRES_URL, { max: 4, onnotice: () => undefined });
    try {
      // Schemas of runs that were interrupted before their clean-up.
      const leftovers = await admin<{ name: string }[]>`select nspname as name from pg_namespace
        where nspname like 'bench\_persistence\_%' and nspname <> ${schema}`;
      for (const { name } of leftovers) {
        await admin.unsafe(`drop schema if exists ${quoteIdentifier(name)} cascade`);
      }
      await adapter.connect();
      const comparisons = await measure(adapter, raw, admin, schema, {
        rowsPerRound,
        rounds,
        log: context.log,
      });
      return { name: this.name, comparisons, figures: { rowsPerRound } };
    } finally {
      await adapter.close(5_000);
      await raw.end({ timeout: 5 });
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
      await admin.end({ timeout: 5 });
    }
  },
};

async function inBatches<T>(
  rows: readonly T[],
  size: number,
  write: (batch: readonly T[]) => Promise<unknown>,
): Promise<number> {
  for (let start = 0; start < rows.length; start += size) {
    await write(rows.slice(start, start + size));
  }
  return rows.length;
}

async function measure(
  adapter: MarketDataAdapter,
  raw: postgres.Sql,
  admin: postgres.Sql,
  schema: string,
  settings: { rowsPerRound: number; rounds: number; log: (line: string) => void },
): Promise<Comparison[]> {
  const { rowsPerRound, rounds, log } = settings;
  let trial = 0;
  let candleRows: CandleInput[] = [];
  let feedRows: PriceFeedInput[] = [];
  const candlesTable = qualifiedName(schema, "candles");
  const feedsTable = qualifiedName(schema, "price_feeds");
  const reset = (table: string) => async () => {
    await admin.unsafe(`truncate ${table}`);
    trial += 1;
    candleRows = table === candlesTable ? candles(rowsPerRound, trial) : [];
    feedRows = table === feedsTable ? priceFeeds(rowsPerRound, trial) : [];
  };
  const candleColumns = `symbol, "interval", open, high, low, close, volume, start_time, end_time, num_trades, metadata`;
  const feedColumns = `symbol, price, bid, ask, volume_24h, source, "timestamp", metadata`;
  /** Raw COPY of the trial's rows, `perStatement` rows per COPY (each its own transaction). */
  const copyCandles = (perStatement: number) => () =>
    inBatches(candleRows, perStatement, (batch) =>
      copyInto(raw, candlesTable, candleColumns, candleCopyLines(batch)),
    );
  const copyFeeds = (perStatement: number) => () =>
    inBatches(feedRows, perStatement, (batch) =>
      copyInto(raw, feedsTable, feedColumns, feedCopyLines(batch)),
    );
  const bufferBatch = DEFAULT_BUFFERED_WRITES.batchSize;

  const cases: {
    subject: string;
    table: string;
    candidate: () => Promise<number>;
    baselineName: string;
    baseline: () => Promise<number>;
  }[] = [
    {
      subject: "candle upsert, repository, one call per round",
      table: candlesTable,
      candidate: () => inBatches(candleRows, rowsPerRound, (b) => adapter.candles.upsertBatch(b)),
      baselineName: "raw COPY, one statement",
      baseline: copyCandles(rowsPerRound),
    },
    {
      // Small transactions are slow on both sides (a commit each); 20 000 rows are enough.
      subject: "candle upsert, repository, 1 000 rows per call",
      table: candlesTable,
      candidate: () =>
        inBatches(candleRows.slice(0, SMALL_BATCH_ROWS), 1_000, (b) =>
          adapter.candles.upsertBatch(b),
        ),
      baselineName: "raw COPY, 1 000 rows per statement",
      baseline: () =>
        inBatches(candleRows.slice(0, SMALL_BATCH_ROWS), 1_000, (batch) =>
          copyInto(raw, candlesTable, candleColumns, candleCopyLines(batch)),
        ),
    },
    {
      subject: "candle upsert, write-behind buffer (enqueue + flush)",
      table: candlesTable,
      candidate: async () => {
        adapter.writes.enqueueCandles(candleRows);
        await adapter.writes.flush();
        return rowsPerRound;
      },
      baselineName: `raw COPY, ${bufferBatch} rows per statement`,
      baseline: copyCandles(bufferBatch),
    },
    {
      subject: "price-feed insert, repository, one call per round",
      table: feedsTable,
      candidate: () => inBatches(feedRows, rowsPerRound, (b) => adapter.priceFeeds.insertBatch(b)),
      baselineName: "raw COPY, one statement",
      baseline: copyFeeds(rowsPerRound),
    },
    {
      subject: "price-feed insert, write-behind buffer (enqueue + flush)",
      table: feedsTable,
      candidate: async () => {
        adapter.writes.enqueuePriceFeeds(feedRows);
        await adapter.writes.flush();
        return rowsPerRound;
      },
      baselineName: `raw COPY, ${bufferBatch} rows per statement`,
      baseline: copyFeeds(bufferBatch),
    },
  ];

  const comparisons: Comparison[] = [];
  for (const benchCase of cases) {
    log(`persistence: ${benchCase.subject} × ${rounds} rounds of ${rowsPerRound} rows`);
    const result = await interleavedRounds({
      rounds,
      warmup: 1,
      reset: reset(benchCase.table),
      candidate: benchCase.candidate,
      baseline: benchCase.baseline,
    });
    comparisons.push({
      subject: benchCase.subject,
      unit: "rows/s",
      candidate: result.candidate,
      baselineName: benchCase.baselineName,
      baseline: result.baseline,
      ratio: result.candidate.median / result.baseline.median,
      target: TARGET_RATIO,
    });
  }
  return comparisons;
}
