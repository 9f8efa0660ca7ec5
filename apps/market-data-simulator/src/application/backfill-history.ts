import type { CandleInput } from "@tse/market-data-adapter";
import type { MetricsPort } from "@tse/metrics-port";
import { type FailureLogSink, RepeatedFailureLog } from "@tse/service-kit";
import type { MarketSimulator, MarketStep } from "../domain/engine/market-simulator.js";
import { describeTickErrors, FEED_METRICS, toCandleInput } from "./market-feed.js";

/** Where backfilled candles go: the adapter's write-behind buffer. */
export interface BackfillWrites {
  enqueueCandles(candles: readonly CandleInput[]): void;
  /** Writes what is buffered; rejects when a write fails (the rows stay queued). */
  flush(): Promise<void>;
}

/** What {@link backfillHistory} simulates and how it hands the candles on. */
export interface BackfillOptions {
  /** Simulated time to advance to, epoch ms: the simulator's clock stands there at the end. */
  readonly until: number;
  /** Simulated time per step. */
  readonly stepMs: number;
  /**
   * Candles enqueued between two flushes. Keep it well below the buffer's capacity: a buffer
   * that fills up drops its oldest rows, and a month of history is more than it holds.
   */
  readonly flushEveryRows: number;
  /** Told about a failed flush; the rows stay queued for the buffer's retries. */
  readonly onFlushError: (error: unknown) => void;
  /** Counts failed steps in `market_data_tick_errors_total{phase="backfill"}`. */
  readonly metrics: MetricsPort;
  /** Where failed steps are logged, through a {@link RepeatedFailureLog}. */
  readonly log: FailureLogSink;
}

/**
 * Advances `simulator` from where it stands to `options.until` in steps of `options.stepMs`
 * (the last one shorter when the span is not a whole number of steps),
 * enqueueing every closed candle and flushing after each `flushEveryRows` of them, so the
 * history reaches the store whole however long it is. A step that throws is counted and logged
 * and the backfill goes on with the next one. Resolves to the number of candles backfilled and
 * of steps that failed.
 */
export async function backfillHistory(
  simulator: MarketSimulator,
  writes: BackfillWrites,
  options: BackfillOptions,
): Promise<{ readonly candles: number; readonly failedSteps: number }> {
  let backfilled = 0;
  let failedSteps = 0;
  let unflushed = 0;
  describeTickErrors(options.metrics);
  const failures = new RepeatedFailureLog({ what: "backfilling history", log: options.log });
  // Up to `until` itself, the last step shorter when it must be: stopping a step short left
  // the live feed's clock that far behind real time for good.
  for (let t = simulator.now; t < options.until; ) {
    t = Math.min(t + options.stepMs, options.until);
    let closedCandles: MarketStep["closedCandles"];
    try {
      closedCandles = simulator.advance(t).closedCandles;
      failures.succeeded();
    } catch (error) {
      options.metrics.incCounter(FEED_METRICS.tickErrors, { phase: "backfill" });
      failures.failed(error);
      failedSteps += 1;
      continue;
    }
    if (closedCandles.length === 0) continue;
    writes.enqueueCandles(closedCandles.map(toCandleInput));
    backfilled += closedCandles.length;
    unflushed += closedCandles.length;
    if (unflushed >= options.flushEveryRows) {
      unflushed = 0;
      await writes.flush().catch(options.onFlushError);
    }
  }
  return { candles: backfilled, failedSteps };
}
