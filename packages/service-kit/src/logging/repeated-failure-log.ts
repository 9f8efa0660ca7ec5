import { messageOf } from "@tse/error-text";

/** Where {@link RepeatedFailureLog} writes a line: pino's `logger[level](fields, message)`. */
export type FailureLogSink = (
  level: "info" | "warn",
  message: string,
  fields: Readonly<Record<string, unknown>>,
) => void;

/** Options of {@link RepeatedFailureLog}. */
export interface RepeatedFailureLogOptions {
  /** What fails, as it reads before "failing": `"publishing quotes"`. */
  readonly what: string;
  readonly log: FailureLogSink;
  /** Milliseconds clock; injected so tests drive time. Default `Date.now`. */
  readonly now?: () => number;
  /** Least time between two lines while it keeps failing, ms. Default 60 000. */
  readonly summaryIntervalMs?: number;
  /**
   * Time without a failure before a success counts as a recovery, ms. Default 5 000. Something
   * that fails every other attempt is one outage, not a recovery and a failure per attempt.
   */
  readonly settleMs?: number;
}

/**
 * The log of something that may fail many times in a row (a publish every tick, a heartbeat):
 * instead of a line per failure, a line when it starts failing (with the error, stack and all),
 * then at most one summary per `summaryIntervalMs` while it keeps failing (how many failures
 * since the last line and in all, for how long, the last error's message), and one line when it
 * has recovered (how many failures, for how long). A success counts as recovery once `settleMs`
 * have passed since the last failure, so an outage that flaps is reported as one.
 *
 * Bounded: an outage of length T writes at most 2 + T / `summaryIntervalMs` lines, and outages
 * are at least `settleMs` apart. Never throws (beyond what `log` throws).
 */
export class RepeatedFailureLog {
  readonly #what: string;
  readonly #log: FailureLogSink;
  readonly #now: () => number;
  readonly #summaryIntervalMs: number;
  readonly #settleMs: number;
  #outage:
    | {
        readonly startedAt: number;
        failures: number;
        unreported: number;
        lastLineAt: number;
        lastFailureAt: number;
        /** The first success after the last failure: when the outage ended, if it has. */
        endedAt: number | undefined;
      }
    | undefined;

  constructor(options: RepeatedFailureLogOptions) {
    this.#what = options.what;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#summaryIntervalMs = options.summaryIntervalMs ?? 60_000;
    this.#settleMs = options.settleMs ?? 5_000;
  }

  /** Whether an outage is in progress (failed, and not yet recovered). */
  get failing(): boolean {
    return this.#outage !== undefined;
  }

  /** Records one failure. */
  failed(error: unknown): void {
    const now = this.#now();
    const outage = this.#outage;
    if (outage === undefined) {
      this.#outage = {
        startedAt: now,
        failures: 1,
        unreported: 0,
        lastLineAt: now,
        lastFailureAt: now,
        endedAt: undefined,
      };
      this.#log("warn", `${this.#what} failing`, { err: error });
      return;
    }
    outage.failures += 1;
    outage.unreported += 1;
    outage.lastFailureAt = now;
    outage.endedAt = undefined;
    if (now - outage.lastLineAt < this.#summaryIntervalMs) return;
    this.#log("warn", `${this.#what} still failing`, {
      failures: outage.unreported,
      failuresTotal: outage.failures,
      failingForMs: now - outage.startedAt,
      lastError: messageOf(error),
    });
    outage.unreported = 0;
    outage.lastLineAt = now;
  }

  /** Records one success: ends an outage once `settleMs` have passed without a failure. */
  succeeded(): void {
    const outage = this.#outage;
    if (outage === undefined) return;
    const now = this.#now();
    outage.endedAt ??= now;
    if (now - outage.lastFailureAt < this.#settleMs) return;
    this.#log("info", `${this.#what} recovered`, {
      failures: outage.failures,
      failedForMs: outage.endedAt - outage.startedAt,
    });
    this.#outage = undefined;
  }
}
