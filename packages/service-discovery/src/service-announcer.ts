import type { ServiceRegistration } from "./service-registration.js";
import type { ServiceRegistry } from "./service-registry.js";

/** Told how each heartbeat went; a service-kit `RepeatedFailureLog` fits. */
export interface HeartbeatOutcomes {
  succeeded(): void;
  failed(error: unknown): void;
}

/** Options of {@link ServiceAnnouncer}. */
export interface ServiceAnnouncerOptions {
  readonly registry: ServiceRegistry;
  /**
   * How often the entry is refreshed, ms (the service's health check interval). The entry
   * expires after three missed heartbeats: its TTL is 3 × this.
   */
  readonly heartbeatIntervalMs: number;
  /** Told about every heartbeat; a failed one is retried at the next interval. */
  readonly heartbeats?: HeartbeatOutcomes;
  /** The clock of `registeredAt`; default `() => new Date()`. */
  readonly now?: () => Date;
}

/** What an instance announces: its registration without the times the announcer stamps. */
export type Announcement = Omit<ServiceRegistration, "registeredAt" | "lastHeartbeat">;

/**
 * Keeps one instance in the discovery registry for as long as it runs: {@link announce} writes
 * its entry and starts heartbeats that rewrite it (re-creating it after an outage of the
 * registry), {@link withdraw} stops them and removes the entry.
 *
 * Contract: heartbeats start before the first write is awaited, so a registry that is away at
 * start-up still gets the entry once it answers; they never keep the process alive (the timer
 * is unref'd). A failed heartbeat goes to `heartbeats.failed` and never throws. `withdraw`
 * stops heartbeats first, so no late heartbeat re-creates the removed entry; before
 * `announce` it removes nothing.
 */
export class ServiceAnnouncer {
  readonly #registry: ServiceRegistry;
  readonly #intervalMs: number;
  readonly #ttlMs: number;
  readonly #heartbeats: HeartbeatOutcomes | undefined;
  readonly #now: () => Date;
  #registration: ServiceRegistration | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ServiceAnnouncerOptions) {
    this.#registry = options.registry;
    this.#intervalMs = options.heartbeatIntervalMs;
    this.#ttlMs = 3 * options.heartbeatIntervalMs;
    this.#heartbeats = options.heartbeats;
    this.#now = options.now ?? (() => new Date());
  }

  /** The entry's time to live, ms: three heartbeat intervals. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /**
   * Registers `announcement` (`registeredAt` = `lastHeartbeat` = now) and starts heartbeats.
   * Rejects with the registry's error when the first write fails (heartbeats keep trying).
   */
  async announce(announcement: Announcement): Promise<ServiceRegistration> {
    const at = this.#now();
    const registration: ServiceRegistration = {
      ...announcement,
      registeredAt: at,
      lastHeartbeat: at,
    };
    this.#registration = registration;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#beat(registration), this.#intervalMs);
    this.#timer.unref();
    return this.#registry.register(registration, this.#ttlMs);
  }

  /** Stops heartbeats and removes the announced entry; `true` when it existed. */
  async withdraw(): Promise<boolean> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const registration = this.#registration;
    if (registration === undefined) return false;
    return this.#registry.deregister(registration.service, registration.instance);
  }

  #beat(registration: ServiceRegistration): void {
    this.#registry.heartbeat(registration, this.#ttlMs).then(
      () => this.#heartbeats?.succeeded(),
      (error: unknown) => this.#heartbeats?.failed(error),
    );
  }
}
