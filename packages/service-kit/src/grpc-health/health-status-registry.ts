import { HealthCheckResponse_ServingStatus as ServingStatus } from "@tse/proto/grpc/health/v1/health_pb";

/**
 * The empty service name: by gRPC convention it stands for the whole server.
 */
export const WHOLE_SERVER = "";

// A watcher that falls this far behind only needs the latest state, not the whole history:
// health states are levels, not events, so dropping stale intermediate ones loses nothing.
const MAX_PENDING_CHANGES = 16;

interface Watcher {
  readonly service: string;
  readonly pending: ServingStatus[];
  wake: (() => void) | undefined;
}

/**
 * The serving status of the whole server (`""`) and of named services, as answered by
 * `grpc.health.v1.Health`.
 *
 * Contract:
 * - A service is known once it has been `set` (or given to the constructor) and until it is
 *   `remove`d; `get` of an unknown service is `undefined`.
 * - `SERVICE_UNKNOWN` is never stored: it is what watchers of an unknown service see.
 * - `watch` yields the current status at once and then every change, never the same status
 *   twice in a row; a watcher that falls far behind skips stale intermediate states but always
 *   ends on the latest one.
 */
export class HealthStatusRegistry {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #watchers = new Set<Watcher>();

  /**
   * @param initial the statuses to start with; defaults to `{"": SERVING}` because a process
   *   that can answer the health RPC is, absent other knowledge, serving.
   * @throws RangeError if an initial status is `SERVICE_UNKNOWN`.
   */
  constructor(
    initial: Readonly<Record<string, ServingStatus>> = { [WHOLE_SERVER]: ServingStatus.SERVING },
  ) {
    for (const [service, status] of Object.entries(initial)) {
      this.set(service, status);
    }
  }

  /**
   * Records `status` for `service` (making it known) and notifies its watchers if the status
   * changed.
   *
   * @throws RangeError if `status` is `SERVICE_UNKNOWN`, which only `watch` may report; use
   *   `remove` to make a service unknown again.
   */
  set(service: string, status: ServingStatus): void {
    if (status === ServingStatus.SERVICE_UNKNOWN) {
      throw new RangeError(
        `SERVICE_UNKNOWN cannot be set for "${service}": it is reserved for watchers of unknown services`,
      );
    }
    if (this.#statuses.get(service) === status) return;
    this.#statuses.set(service, status);
    this.#notify(service, status);
  }

  /**
   * The stored status of `service`, or `undefined` if the service is unknown.
   */
  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  /**
   * Sets `status` for the whole server and every known service at once — at shutdown,
   * `setAll(NOT_SERVING)` tells every watcher and load balancer to drain. Unknown services
   * stay unknown.
   *
   * @throws RangeError if `status` is `SERVICE_UNKNOWN`.
   */
  setAll(status: ServingStatus): void {
    this.set(WHOLE_SERVER, status);
    for (const service of [...this.#statuses.keys()]) {
      this.set(service, status);
    }
  }

  /**
   * Makes `service` unknown again (its watchers see `SERVICE_UNKNOWN`). Returns whether it was
   * known.
   */
  remove(service: string): boolean {
    if (!this.#statuses.delete(service)) return false;
    this.#notify(service, ServingStatus.SERVICE_UNKNOWN);
    return true;
  }

  /**
   * The names of the known services, `""` included when set.
   */
  services(): string[] {
    return [...this.#statuses.keys()];
  }

  /**
   * The number of `watch` iterables currently open — for metrics and for proving that
   * cancelled watches release their resources.
   */
  get watcherCount(): number {
    return this.#watchers.size;
  }

  /**
   * Streams the status of `service`: the current one at once (`SERVICE_UNKNOWN` if the service
   * is unknown), then each change, with no two equal statuses in a row. The iterable ends
   * (without throwing) when `signal` aborts or when the consumer stops iterating; an already
   * aborted signal yields nothing.
   */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus, void> {
    if (signal.aborted) return;
    const watcher: Watcher = { service, pending: [], wake: undefined };
    const onAbort = (): void => watcher.wake?.();
    // Registering before reading the current status means no change can slip in between.
    this.#watchers.add(watcher);
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      let last = this.#current(service);
      yield last;
      while (!signal.aborted) {
        const next = watcher.pending.shift();
        if (next === undefined) {
          await new Promise<void>((resolve) => {
            watcher.wake = resolve;
          });
          watcher.wake = undefined;
          continue;
        }
        if (next !== last) {
          last = next;
          yield next;
        }
      }
    } finally {
      this.#watchers.delete(watcher);
      signal.removeEventListener("abort", onAbort);
    }
  }

  #current(service: string): ServingStatus {
    return this.#statuses.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
  }

  #notify(service: string, status: ServingStatus): void {
    for (const watcher of this.#watchers) {
      if (watcher.service !== service) continue;
      watcher.pending.push(status);
      if (watcher.pending.length > MAX_PENDING_CHANGES) watcher.pending.shift();
      watcher.wake?.();
    }
  }
}
