/** A store whose rows expire: the adapter's price-feed repository. */
export interface ExpiringHistory {
  /** Deletes every row stamped before `cutoff`; resolves to how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** What {@link HistoryRetention} is wired to. */
export interface HistoryRetentionPorts {
  readonly history: ExpiringHistory;
  /** The simulated clock, ms: stored rows carry simulated time, so age is measured in it. */
  readonly simulatedNow: () => number;
  /** Told how many rows a sweep deleted (only when some were). */
  readonly onDeleted: (count: number, cutoff: Date) => void;
  /** Told about a failed sweep; the next sweep tries again. */
  readonly onError: (error: unknown) => void;
}

/** Timing of {@link HistoryRetention}. */
export interface HistoryRetentionOptions {
  /** How long rows are kept, in simulated ms (`PRICE_FEED_RETENTION_HOURS`); > 0. */
  readonly retentionMs: number;
  /** Real time between sweeps, ms; > 0. */
  readonly sweepIntervalMs: number;
}

/**
 * Keeps a history table to its retention (docs/data-model.md#market-data-tables: price feeds for
 * `PRICE_FEED_RETENTION_HOURS`): a sweep at start and then every `sweepIntervalMs` deletes rows
 * older than the simulated clock minus `retentionMs`.
 *
 * Contract: at most one sweep runs at a time (a sweep still running when the next is due makes
 * that one a no-op); a failure is reported and never stops the schedule; {@link stop} waits for a
 * running sweep, so shutdown never closes the pool under it.
 */
export class HistoryRetention {
  readonly #ports: HistoryRetentionPorts;
  readonly #options: HistoryRetentionOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(ports: HistoryRetentionPorts, options: HistoryRetentionOptions) {
    if (!(options.retentionMs > 0) || !(options.sweepIntervalMs > 0)) {
      throw new RangeError("retention and sweep interval must be > 0");
    }
    this.#ports = ports;
    this.#options = options;
  }

  /** Sweeps now and then every `sweepIntervalMs`. */
  start(): void {
    if (this.#timer !== undefined) return;
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), this.#options.sweepIntervalMs);
    this.#timer.unref();
  }

  /** Stops the schedule and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /**
   * Deletes what has expired; resolves to how many rows went (0 when a sweep was already
   * running, or on failure, which is reported).
   */
  sweep(): Promise<number> {
    if (this.#running !== undefined) return Promise.resolve(0);
    const cutoff = new Date(this.#ports.simulatedNow() - this.#options.retentionMs);
    this.#running = this.#ports.history
      .deleteOlderThan(cutoff)
      .then(
        (count) => {
          if (count > 0) this.#ports.onDeleted(count, cutoff);
          return count;
        },
        (error: unknown) => {
          this.#ports.onError(error);
          return 0;
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }
}
