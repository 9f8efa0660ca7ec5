import { messageOf } from "@tse/error-text";
import type { MetricsPort } from "@tse/metrics-port";
import type { OrderRecord } from "../model/order.js";
import type { TradeRecord } from "../model/trade.js";
import {
  countChanges,
  type TradingChanges,
  validateTradingChanges,
} from "../model/trading-changes.js";
import type { TradingStore } from "../repositories/trading-store.js";
import { PendingChanges } from "./pending-changes.js";

/** Metric names of {@link TradingWrites} (no labels). */
export const TRADING_PERSISTENCE_METRICS = Object.freeze({
  commits: "trading_persistence_commits_total",
  commitErrors: "trading_persistence_commit_errors_total",
  pending: "trading_persistence_changes_pending",
});

/** Tuning of {@link TradingWrites}; every field has a default. */
export interface TradingWritesOptions {
  /** The first retry delay after a failed commit, ms (default 100; doubles per failure). */
  readonly initialRetryDelayMs?: number;
  /** The retry delay cap, ms (default 5 000). */
  readonly maxRetryDelayMs?: number;
}

/** Defaults of {@link TradingWritesOptions}. */
export const DEFAULT_TRADING_WRITES: Required<TradingWritesOptions> = Object.freeze({
  initialRetryDelayMs: 100,
  maxRetryDelayMs: 5_000,
});

/** What {@link TradingWrites} needs besides its options. */
export interface TradingWritesDependencies {
  readonly store: TradingStore;
  readonly metrics: MetricsPort;
  /** Told about each failed commit and how many failed in a row (the changes stay queued). */
  readonly onCommitError?: (error: unknown, consecutiveFailures: number) => void;
}

/** What {@link TradingWrites.status} reports. */
export interface TradingWritesStatus {
  /** `false` from a failed commit until the next successful one. */
  readonly healthy: boolean;
  /** The message of the last failed commit while unhealthy. */
  readonly lastError: string | undefined;
  /** Records queued or being committed (merged: one per key). */
  readonly pending: number;
  /** Successful commits since start. */
  readonly commits: number;
  /** Failed commits in a row (0 when healthy). */
  readonly consecutiveFailures: number;
}

/** An order's newest state while the queue still holds it (see {@link TradingWrites.pendingOrder}). */
export interface PendingOrder {
  readonly order: OrderRecord;
  /** Its trades the queue holds (earlier ones are in the store). */
  readonly trades: readonly TradeRecord[];
}

/** What {@link TradingWrites.flush} and {@link TradingWrites.close} achieved. */
export interface TradingFlushResult {
  /** Everything queued before the call was committed before the deadline. */
  readonly flushed: boolean;
}

/**
 * The trading engine's write-behind queue: the engine's hot path enqueues its changes and goes
 * on; one background writer commits them to the {@link TradingStore}, in order.
 *
 * Contract:
 * - {@link enqueue} validates the whole batch at once and throws a `ValidationError` naming the
 *   bad record (`orders[3].quantity`), queueing nothing; otherwise it returns immediately.
 * - One writer commits at a time. Batches queued while a commit runs (or fails) are merged into
 *   the next commit: the later strategy / order / position of a key wins, trades are
 *   de-duplicated by id. Each batch lands whole in one commit, never split across two, and a
 *   later batch is never committed before an earlier one.
 * - A failed commit is retried, merged with what was queued since, after a delay that doubles
 *   from `initialRetryDelayMs` (100 ms) to `maxRetryDelayMs` (5 s) and resets on success.
 *   Nothing is ever dropped, unlike the market-data buffer: trading state must not be lost. A
 *   commit that can never succeed (a `ConstraintViolationError`) is retried too, blocking later
 *   changes, and shows in {@link status}, the error callback and the metrics.
 * - Nothing is committed before {@link start}; {@link close} stops accepting changes, flushes,
 *   and stops the writer.
 * - Metrics: `trading_persistence_commits_total`, `trading_persistence_commit_errors_total`,
 *   `trading_persistence_changes_pending` (gauge, = `status().pending`).
 */
export class TradingWrites {
  readonly #store: TradingStore;
  readonly #metrics: MetricsPort;
  readonly #onCommitError: (error: unknown, consecutiveFailures: number) => void;
  readonly #options: Required<TradingWritesOptions>;
  #queued = new PendingChanges();
  #inFlight: PendingChanges | undefined;
  /** Batches enqueued since start; the number of the last one committed. */
  #enqueuedBatches = 0;
  #committedBatches = 0;
  #waiters: { readonly batch: number; readonly resolve: () => void }[] = [];
  #started = false;
  #closed = false;
  #running = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelayMs: number;
  #healthy = true;
  #lastError: string | undefined;
  #commits = 0;
  #consecutiveFailures = 0;

  constructor(dependencies: TradingWritesDependencies, options: TradingWritesOptions = {}) {
    this.#store = dependencies.store;
    this.#metrics = dependencies.metrics;
    this.#onCommitError = dependencies.onCommitError ?? (() => undefined);
    this.#options = { ...DEFAULT_TRADING_WRITES, ...options };
    this.#retryDelayMs = this.#options.initialRetryDelayMs;
    this.#metrics.describe(TRADING_PERSISTENCE_METRICS.commits, "counter", {
      help: "Commits of queued trading changes to the trading store.",
    });
    this.#metrics.describe(TRADING_PERSISTENCE_METRICS.commitErrors, "counter", {
      help: "Failed commits of queued trading changes (retried, never dropped).",
    });
    this.#metrics.describe(TRADING_PERSISTENCE_METRICS.pending, "gauge", {
      help: "Trading records queued or being committed to the trading store.",
    });
    this.#updateGauge();
  }

  /** Starts the background writer (after the store is ready). Idempotent. */
  start(): void {
    if (this.#closed || this.#started) return;
    this.#started = true;
    this.#kick();
  }

  /**
   * Validates `changes` and queues them for the writer; returns at once. Throws a
   * `ValidationError` (nothing queued) for a bad record, an `Error` after {@link close}.
   */
  enqueue(changes: TradingChanges): void {
    if (this.#closed) throw new Error("trading writes are closed");
    const valid = validateTradingChanges(changes);
    if (countChanges(valid) === 0) return;
    this.#queued.add(valid);
    this.#enqueuedBatches += 1;
    this.#updateGauge();
    this.#kick();
  }

  /**
   * The newest state of an order that is queued or being committed — newer than what the store
   * answers until the commit lands — with its trades held with it; `undefined` when the queue
   * holds nothing of it. Readers merge it over the store's rows so an order's newest state wins.
   */
  pendingOrder(orderId: string): PendingOrder | undefined {
    const id = orderId.toLowerCase();
    const order = this.#queued.order(id) ?? this.#inFlight?.order(id);
    if (order === undefined) return undefined;
    const trades = new Map<string, TradeRecord>();
    for (const t of [...(this.#inFlight?.tradesOf(id) ?? []), ...this.#queued.tradesOf(id)])
      trades.set(t.tradeId, t);
    return { order, trades: [...trades.values()] };
  }

  /** Records queued or being committed (merged: one per key). */
  get pending(): number {
    return this.#queued.size + (this.#inFlight?.size ?? 0);
  }

  /** Health and counts of the queue. */
  status(): TradingWritesStatus {
    return {
      healthy: this.#healthy,
      lastError: this.#healthy ? undefined : this.#lastError,
      pending: this.pending,
      commits: this.#commits,
      consecutiveFailures: this.#consecutiveFailures,
    };
  }

  /**
   * Waits until everything enqueued before the call is committed: `{flushed: true}`, or
   * `{flushed: false}` when `timeoutMs` passes first (the changes stay queued). Never rejects.
   */
  flush(timeoutMs: number): Promise<TradingFlushResult> {
    const batch = this.#enqueuedBatches;
    if (this.#committedBatches >= batch) return Promise.resolve({ flushed: true });
    return new Promise((resolve) => {
      const waiter = {
        batch,
        resolve: () => {
          clearTimeout(timer);
          resolve({ flushed: true });
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve({ flushed: false });
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /**
   * Refuses further changes, flushes (see {@link flush}) and stops the writer. Changes still
   * pending when `timeoutMs` passes are not committed (the result and `pending` say so).
   * Idempotent.
   */
  async close(timeoutMs: number): Promise<TradingFlushResult> {
    this.#closed = true;
    const result = await this.flush(timeoutMs);
    this.#started = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    return result;
  }

  #kick(): void {
    if (!this.#started || this.#running || this.#retryTimer !== undefined) return;
    this.#running = true;
    // After the current tick: batches enqueued together are merged into one commit.
    setImmediate(() => {
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#started && this.#queued.size > 0) {
      const batch = this.#queued;
      const upTo = this.#enqueuedBatches;
      this.#queued = new PendingChanges();
      this.#inFlight = batch;
      try {
        await this.#store.commit(batch.changes());
      } catch (error) {
        // Back in front of what was queued meanwhile, which stays newer.
        batch.absorb(this.#queued);
        this.#queued = batch;
        this.#inFlight = undefined;
        this.#failed(error);
        return;
      }
      this.#inFlight = undefined;
      this.#committedBatches = upTo;
      this.#commits += 1;
      this.#healthy = true;
      this.#lastError = undefined;
      this.#consecutiveFailures = 0;
      this.#retryDelayMs = this.#options.initialRetryDelayMs;
      this.#metrics.incCounter(TRADING_PERSISTENCE_METRICS.commits);
      this.#updateGauge();
      const done = this.#waiters.filter((w) => w.batch <= upTo);
      this.#waiters = this.#waiters.filter((w) => w.batch > upTo);
      for (const waiter of done) waiter.resolve();
    }
    this.#running = false;
  }

  #failed(error: unknown): void {
    this.#healthy = false;
    this.#lastError = messageOf(error);
    this.#consecutiveFailures += 1;
    this.#metrics.incCounter(TRADING_PERSISTENCE_METRICS.commitErrors);
    this.#updateGauge();
    try {
      this.#onCommitError(error, this.#consecutiveFailures);
    } catch {
      // A failing callback must not stop the writer.
    }
    this.#running = false;
    if (!this.#started) return;
    const delay = this.#retryDelayMs;
    this.#retryDelayMs = Math.min(delay * 2, this.#options.maxRetryDelayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#kick();
    }, delay);
    this.#retryTimer.unref();
  }

  #updateGauge(): void {
    this.#metrics.setGauge(TRADING_PERSISTENCE_METRICS.pending, this.pending);
  }
}
