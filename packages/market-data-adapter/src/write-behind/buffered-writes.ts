import { validateBatch } from "@tse/field-checks";
import type { MetricsPort } from "@tse/metrics-port";
import { type Candle, type CandleInput, validateCandle } from "../model/candle.js";
import {
  type MarketSnapshot,
  type MarketSnapshotInput,
  validateMarketSnapshot,
} from "../model/market-snapshot.js";
import { type PriceFeed, type PriceFeedInput, validatePriceFeed } from "../model/price-feed.js";
import type { CandleRepository } from "../repositories/candle-repository.js";
import type { PriceFeedRepository } from "../repositories/price-feed-repository.js";
import type { SnapshotRepository } from "../repositories/snapshot-repository.js";
import { CandleBufferKeys } from "./candle-buffer-keys.js";
import {
  WriteBehindBuffer,
  type WriteBehindOptions,
  type WriteBehindStatus,
} from "./write-behind-buffer.js";

/** The tables behind the hot write paths, as the buffer's lanes and the metrics' `table` label. */
export type BufferedTable = "price_feeds" | "market_snapshots" | "candles";

const TABLES: readonly BufferedTable[] = ["price_feeds", "market_snapshots", "candles"];

/** Tuning of {@link BufferedWrites}; every field has a default. */
export interface BufferedWritesOptions {
  /** The most rows held across the three tables while Postgres is slow or down (default 100 000). */
  readonly maxBufferedRows?: number;
  /**
   * Rows per write (default 5 000). A batch of `COPY_THRESHOLD_ROWS` or more new rows goes by
   * COPY; smaller ones by one prepared `unnest` statement whatever their size.
   */
  readonly batchSize?: number;
  /** How often buffered rows are written while Postgres is healthy, ms (default 250). */
  readonly flushIntervalMs?: number;
  /** The first retry delay after a failed write, ms (default 100; doubles per failure). */
  readonly initialRetryDelayMs?: number;
  /** The retry delay cap, ms (default 5 000). */
  readonly maxRetryDelayMs?: number;
}

/** Defaults of {@link BufferedWritesOptions}. */
export const DEFAULT_BUFFERED_WRITES: Required<BufferedWritesOptions> = Object.freeze({
  maxBufferedRows: 100_000,
  batchSize: 5_000,
  flushIntervalMs: 250,
  initialRetryDelayMs: 100,
  maxRetryDelayMs: 5_000,
});

/** What {@link BufferedWrites} needs besides its options. */
export interface BufferedWritesDependencies {
  readonly candles: CandleRepository;
  readonly priceFeeds: PriceFeedRepository;
  readonly snapshots: SnapshotRepository;
  readonly metrics: MetricsPort;
  /** Told about each failed write (the rows stay queued and are retried). */
  readonly onWriteError: (table: BufferedTable, error: unknown) => void;
  /** Told when rows are dropped because the buffer is full. */
  readonly onDrop: (table: BufferedTable, count: number) => void;
}

type Lanes = {
  price_feeds: PriceFeed;
  market_snapshots: MarketSnapshot;
  candles: Candle;
};

/** Metric names of the buffered writes (all labelled by `table`). */
export const PERSISTENCE_METRICS = Object.freeze({
  written: "market_data_persistence_rows_written_total",
  dropped: "market_data_persistence_rows_dropped_total",
  writeErrors: "market_data_persistence_write_errors_total",
  buffered: "market_data_persistence_rows_buffered",
});

/**
 * The hot write paths of docs/data-model.md#market-data-tables — candles, price feeds, snapshots —
 * behind a bounded write-behind buffer: the producer's `enqueue…` returns at once, a background
 * loop writes in batches, and an outage costs nothing but memory up to the limit.
 *
 * Contract:
 * - Each `enqueue…` validates the whole batch first and throws a `ValidationError` naming the
 *   bad row, queueing nothing; so a bad row can never sit in the buffer failing every retry.
 * - Queued rows are written in enqueue order per table, retried with exponential backoff while
 *   the store fails, and are never lost while the buffer has room. Rows carry their ids (feed
 *   and snapshot ids, the candle key), so a retried batch that had in fact been committed is not
 *   stored twice.
 * - An open candle enqueued again (same symbol, interval, start) replaces its queued version.
 * - Past `maxBufferedRows`, the oldest price feeds are dropped first, then snapshots, candles
 *   last; `market_data_persistence_rows_dropped_total{table}` counts them.
 * - `status().healthy` is `false` from a failed write until the next successful one.
 */
export class BufferedWrites {
  readonly #buffer: WriteBehindBuffer<Lanes>;
  readonly #metrics: MetricsPort;

  constructor(dependencies: BufferedWritesDependencies, options: BufferedWritesOptions = {}) {
    const settings = { ...DEFAULT_BUFFERED_WRITES, ...options };
    const { metrics } = dependencies;
    this.#metrics = metrics;
    metrics.describe(PERSISTENCE_METRICS.written, "counter", {
      help: "Rows written to Postgres by the write-behind buffer, by table.",
    });
    metrics.describe(PERSISTENCE_METRICS.dropped, "counter", {
      help: "Rows dropped because the write-behind buffer was full (Postgres down too long), by table.",
    });
    metrics.describe(PERSISTENCE_METRICS.writeErrors, "counter", {
      help: "Failed batch writes of the write-behind buffer (retried), by table.",
    });
    metrics.describe(PERSISTENCE_METRICS.buffered, "gauge", {
      help: "Rows waiting in the write-behind buffer, by table.",
    });
    const bufferOptions: WriteBehindOptions = {
      ...settings,
      onWritten: (table, count) => {
        metrics.incCounter(PERSISTENCE_METRICS.written, { table }, count);
        this.#updateGauges();
      },
      onDrop: (table, count) => {
        metrics.incCounter(PERSISTENCE_METRICS.dropped, { table }, count);
        dependencies.onDrop(table as BufferedTable, count);
      },
      onWriteError: (table, error) => {
        metrics.incCounter(PERSISTENCE_METRICS.writeErrors, { table });
        dependencies.onWriteError(table as BufferedTable, error);
      },
    };
    const candleKeys = new CandleBufferKeys();
    this.#buffer = new WriteBehindBuffer<Lanes>(
      {
        price_feeds: {
          dropPriority: 0,
          write: async (rows) => void (await dependencies.priceFeeds.insertBatch(rows)),
        },
        market_snapshots: {
          dropPriority: 1,
          write: async (rows) => void (await dependencies.snapshots.insertBatch(rows)),
        },
        candles: {
          dropPriority: 2,
          key: (candle) => candleKeys.key(candle),
          write: async (rows) => void (await dependencies.candles.upsertBatch(rows)),
        },
      },
      bufferOptions,
    );
    this.#updateGauges();
  }

  /** Starts the background writer. */
  start(): void {
    this.#buffer.start();
  }

  /** Validates and queues candles (see the class contract). */
  enqueueCandles(candles: readonly CandleInput[]): void {
    this.#buffer.enqueue("candles", validateBatch("candles", candles, validateCandle));
    this.#updateGauges();
  }

  /** Validates and queues price feeds (see the class contract). */
  enqueuePriceFeeds(feeds: readonly PriceFeedInput[]): void {
    this.#buffer.enqueue("price_feeds", validateBatch("priceFeeds", feeds, validatePriceFeed));
    this.#updateGauges();
  }

  /** Validates and queues snapshots (see the class contract). */
  enqueueSnapshots(snapshots: readonly MarketSnapshotInput[]): void {
    this.#buffer.enqueue(
      "market_snapshots",
      validateBatch("snapshots", snapshots, validateMarketSnapshot),
    );
    this.#updateGauges();
  }

  /** Writes everything queued now; rejects with the store's error when a write fails (rows stay queued). */
  flush(): Promise<void> {
    return this.#buffer.flush();
  }

  /** Buffered, written and dropped rows per table, and whether the last write succeeded. */
  status(): WriteBehindStatus {
    return this.#buffer.status();
  }

  /**
   * Stops accepting rows and writes what is queued, retrying until `deadlineMs` has passed.
   * Resolves `true` when everything was written, `false` when rows were left behind.
   */
  async close(deadlineMs: number): Promise<boolean> {
    const flushed = await this.#buffer.close(deadlineMs);
    this.#updateGauges();
    return flushed;
  }

  #updateGauges(): void {
    for (const table of TABLES) {
      this.#metrics.setGauge(PERSISTENCE_METRICS.buffered, this.#buffer.bufferedRows(table), {
        table,
      });
    }
  }
}
