import { messageOf } from "@tse/error-text";
import { redactSecrets } from "../logging/redact.js";

/**
 * A real readiness check: resolves when the dependency works (a query ran, a Redis read came
 * back), rejects with the reason otherwise. It must give up when `signal` aborts.
 */
export type ReadinessProbe = (signal: AbortSignal) => Promise<void>;

/** A check, or `"disabled"` for a dependency this instance does not use (e.g. no `POSTGRES_URL`). */
export type ReadinessCheck = ReadinessProbe | "disabled";

/** The outcome of one evaluation: each check is `ok`, `disabled` or `error: <reason>`. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

/** Options of {@link Readiness}. */
export interface ReadinessOptions {
  /** A report is reused for this long, so probes can't hammer the dependencies. */
  readonly cacheMs: number;
  /** A probe that takes longer fails with a timeout. */
  readonly timeoutMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

/**
 * Runs the readiness checks of a service (docs/protocols.md#common-http-endpoints) in parallel,
 * each bounded by a timeout, and caches the report for `cacheMs`. Concurrent callers share one
 * evaluation. After {@link markShuttingDown} the service is never ready again.
 */
export class Readiness {
  private cached: { at: number; report: ReadinessReport } | undefined;
  private pending: Promise<ReadinessReport> | undefined;
  private shuttingDown = false;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(
    private readonly checks: Readonly<Record<string, ReadinessCheck>>,
    private readonly options: ReadinessOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** Marks the service as going away: every later report is not ready. */
  markShuttingDown(): void {
    this.shuttingDown = true;
    this.cached = undefined;
  }

  /** The current report, from the cache when it is fresh enough. */
  async evaluate(): Promise<ReadinessReport> {
    const cached = this.cached;
    if (cached !== undefined && this.now() - cached.at < this.options.cacheMs) return cached.report;
    this.pending ??= this.run().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async run(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      Object.entries(this.checks).map(
        async ([name, check]) => [name, await this.runOne(check)] as const,
      ),
    );
    const checks: Record<string, string> = Object.fromEntries(entries);
    if (this.shuttingDown) checks.server = "error: shutting down";
    const ready =
      !this.shuttingDown && entries.every(([, result]) => result === "ok" || result === "disabled");
    const report = { ready, checks };
    this.cached = { at: this.now(), report };
    return report;
  }

  private async runOne(check: ReadinessCheck): Promise<string> {
    if (check === "disabled") return "disabled";
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([check(controller.signal), timeout]);
      return "ok";
    } catch (error) {
      return `error: ${redactSecrets(messageOf(error))}`;
    } finally {
      clearTimeout(timer);
    }
  }
}
