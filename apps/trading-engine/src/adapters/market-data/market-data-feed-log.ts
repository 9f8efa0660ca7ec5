import { type FailureLogSink, RepeatedFailureLog } from "@tse/service-kit";

/** Options of {@link MarketDataFeedLog}. */
export interface MarketDataFeedLogOptions {
  readonly log: FailureLogSink;
  /** Milliseconds clock; injected so tests drive time. Default `Date.now`. */
  readonly now?: () => number;
  /** Least time between two lines while a failure goes on, ms. Default 60 000. */
  readonly summaryIntervalMs?: number;
}

/**
 * The log of the engine's link to the simulator while it is down: the price stream retries
 * every few seconds and the instrument rules are reloaded in the background, and neither writes
 * a line per attempt. Each is a {@link RepeatedFailureLog} — "market data stream …" and
 * "instrument rules loading …": one line (with the error) when it starts failing, a summary
 * with the count at most every `summaryIntervalMs` while it goes on, and one line when it has
 * recovered — the stream once quotes flow again, the rules once a load succeeds, either counted
 * as recovered after 5 s without a failure.
 */
export class MarketDataFeedLog {
  readonly #stream: RepeatedFailureLog;
  readonly #rules: RepeatedFailureLog;

  constructor(options: MarketDataFeedLogOptions) {
    const failureLog = (what: string) =>
      new RepeatedFailureLog({
        what,
        log: options.log,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.summaryIntervalMs === undefined
          ? {}
          : { summaryIntervalMs: options.summaryIntervalMs }),
      });
    this.#stream = failureLog("market data stream");
    this.#rules = failureLog("instrument rules loading");
  }

  /** A connection attempt failed or the stream broke (the feed retries). */
  streamFailed(error: unknown): void {
    this.#stream.failed(error);
  }

  /** A quote arrived: the stream works. Cheap enough for every quote. */
  quoteReceived(): void {
    this.#stream.succeeded();
  }

  /** A background load of the instrument rules failed. */
  rulesLoadFailed(error: unknown): void {
    this.#rules.failed(error);
  }

  /** The instrument rules were loaded. */
  rulesLoaded(): void {
    this.#rules.succeeded();
  }
}
