import { messageOf } from "@tse/error-text";

/**
 * One kind of row the buffer holds (candles, price feeds, snapshots) and how to write it.
 */
export interface WriteLane<T> {
  /** Writes one batch; rejects when the store is unavailable (the rows are then kept and retried). */
  write(rows: readonly T[]): Promise<void>;
  /**
   * Rows with the same key replace each other while buffered (an open candle updated every tick
   * is written once, with its latest values). Without a key every row is kept. A number is the
   * cheaper key: nothing to build or hash per row.
   */
  key?(row: T): string | number;
  /**
   * Which lane loses rows first when the buffer is full: the lowest priority first (price feeds
   * before snapshots before candles), oldest rows first within a lane.
   */
  readonly dropPriority: number;
}

/** Options of {@link WriteBehindBuffer}. */
export interface WriteBehindOptions {
  /** The most rows held across all lanes; past it the lowest-priority oldest rows are dropped. */
  readonly maxBufferedRows: number;
  /** The most rows one `write` receives. */
  readonly batchSize: number;
  /** How often buffered rows are written while the store is healthy. */
  readonly flushIntervalMs: number;
  /** First retry delay after a failed write; doubles up to `maxRetryDelayMs`. */
  readonly initialRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Called when rows are dropped because the buffer is full (e.g. to count them in metrics). */
  readonly onDrop?: (lane: string, count: number) => void;
  /** Called on every failed write, with the lane and the error (e.g. to log it). */
  readonly onWriteError?: (lane: string, error: unknown) => void;
  /** Called after every successful write, with the lane and the rows written (e.g. for metrics). */
  readonly onWritten?: (lane: string, count: number) => void;
}

/** What {@link WriteBehindBuffer.status} reports. */
export interface WriteBehindStatus {
  /** `false` from a failed write until the next successful one. */
  readonly healthy: boolean;
  /** The message of the last failed write while unhealthy. */
  readonly lastError: string | undefined;
  /** Rows waiting per lane. */
  readonly buffered: Readonly<Record<string, number>>;
  /** Rows dropped per lane since start. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Rows written per lane since start. */
  readonly written: Readonly<Record<string, number>>;
}

interface LaneState<T> {
  readonly name: string;
  readonly lane: WriteLane<T>;
  /**
   * Insertion-ordered; keyed lanes use the row key, others a sequence number (a number, not a
   * string: nothing to build or hash per row).
   */
  readonly rows: Map<string | number, T>;
  dropped: number;
  written: number;
}

/**
 * A bounded write-behind buffer for the hot write paths (docs/data-model.md#market-data-tables):
 * callers enqueue rows and go on at once; a background loop writes them in batches. When the store
 * fails, rows stay queued (up to `maxBufferedRows`), writes are retried with exponential backoff,
 * and {@link status} reports the failure; when the store returns, everything still queued is
 * written, in the order it was enqueued within each lane. Past the limit, the oldest rows of
 * the lowest-priority lane are dropped and counted. {@link close} flushes what it can.
 */
export class WriteBehindBuffer<Lanes extends Record<string, unknown>> {
  private readonly lanes: LaneState<unknown>[];
  private readonly byName = new Map<string, LaneState<unknown>>();
  private sequence = 0;
  private total = 0;
  private healthy = true;
  private lastError: string | undefined;
  private retryDelayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(
    lanes: { readonly [K in keyof Lanes]: WriteLane<Lanes[K]> },
    private readonly options: WriteBehindOptions,
  ) {
    this.lanes = Object.entries(lanes).map(([name, lane]) => ({
      name,
      lane: lane as WriteLane<unknown>,
      rows: new Map<string | number, unknown>(),
      dropped: 0,
      written: 0,
    }));
    for (const state of this.lanes) this.byName.set(state.name, state);
    this.retryDelayMs = options.initialRetryDelayMs;
  }

  /** Starts the background flush loop. */
  start(): void {
    if (this.timer === undefined && !this.closed) this.schedule(this.options.flushIntervalMs);
  }

  /**
   * Queues rows of one lane; they are written later. Never waits for the store. Throws only
   * after {@link close}.
   */
  enqueue<K extends keyof Lanes & string>(laneName: K, rows: readonly Lanes[K][]): void {
    if (this.closed) throw new Error("the write-behind buffer is closed");
    const state = this.byName.get(laneName);
    if (state === undefined) throw new RangeError(`unknown lane ${laneName}`);
    for (const row of rows) {
      const key = state.lane.key?.(row) ?? this.sequence++;
      if (state.rows.has(key)) {
        // Replace in place but move to the end: the newest version is written last.
        state.rows.delete(key);
      } else {
        this.total += 1;
      }
      state.rows.set(key, row);
    }
    this.enforceLimit();
  }

  /** Rows of `laneName` waiting to be written (cheap: for gauges on the enqueue path). */
  bufferedRows(laneName: keyof Lanes & string): number {
    return this.byName.get(laneName)?.rows.size ?? 0;
  }

  /** Buffered, dropped and written counts, and whether the last write succeeded. */
  status(): WriteBehindStatus {
    const per = (pick: (state: LaneState<unknown>) => number) =>
      Object.fromEntries(this.lanes.map((state) => [state.name, pick(state)]));
    return {
      healthy: this.healthy,
      lastError: this.healthy ? undefined : this.lastError,
      buffered: per((state) => state.rows.size),
      dropped: per((state) => state.dropped),
      written: per((state) => state.written),
    };
  }

  /**
   * Writes everything buffered now. Resolves when the buffer is empty; rejects with the store's
   * error when a write fails (the rows stay queued).
   */
  flush(): Promise<void> {
    this.flushing ??= this.writeAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Stops the loop and flushes, retrying failed writes until `deadlineMs` has passed. Resolves
   * `true` when everything was written, `false` when rows were left behind.
   */
  async close(deadlineMs: number): Promise<boolean> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + deadlineMs;
    let delay = this.options.initialRetryDelayMs;
    while (this.total > 0) {
      try {
        await this.flush();
      } catch {
        if (Date.now() + delay > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs);
      }
    }
    return true;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().then(
        () => {
          if (!this.closed) this.schedule(this.options.flushIntervalMs);
        },
        () => {
          if (!this.closed) this.schedule(this.retryDelayMs);
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryDelayMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private async writeAll(): Promise<void> {
    for (const state of this.lanes) {
      while (state.rows.size > 0) {
        const batch = firstEntries(state.rows, this.options.batchSize);
        try {
          await state.lane.write(batch.map(([, row]) => row));
        } catch (error) {
          this.healthy = false;
          this.lastError = messageOf(error);
          this.options.onWriteError?.(state.name, error);
          throw error;
        }
        for (const [key, row] of batch) {
          // A row replaced while its batch was being written stays queued with its new value.
          if (state.rows.get(key) === row) {
            state.rows.delete(key);
            this.total -= 1;
          }
        }
        state.written += batch.length;
        this.options.onWritten?.(state.name, batch.length);
        this.healthy = true;
        this.lastError = undefined;
        this.retryDelayMs = this.options.initialRetryDelayMs;
      }
    }
  }

  private enforceLimit(): void {
    if (this.total <= this.options.maxBufferedRows) return;
    const byPriority = [...this.lanes].sort((a, b) => a.lane.dropPriority - b.lane.dropPriority);
    for (const state of byPriority) {
      let dropped = 0;
      for (const key of state.rows.keys()) {
        if (this.total <= this.options.maxBufferedRows) break;
        state.rows.delete(key);
        this.total -= 1;
        dropped += 1;
      }
      if (dropped > 0) {
        state.dropped += dropped;
        this.options.onDrop?.(state.name, dropped);
      }
      if (this.total <= this.options.maxBufferedRows) return;
    }
  }
}

/** The first `count` entries of `map` in insertion order, without copying the rest. */
function firstEntries<K, V>(map: ReadonlyMap<K, V>, count: number): [K, V][] {
  const entries: [K, V][] = [];
  for (const entry of map) {
    if (entries.length === count) break;
    entries.push(entry);
  }
  return entries;
}
