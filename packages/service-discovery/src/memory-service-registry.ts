import { discoveryKey } from "@tse/instance-naming";
import { type ServiceRegistration, validateServiceRegistration } from "./service-registration.js";
import { compareRegistrations, type ServiceRegistry } from "./service-registry.js";
import { assertTtlMs } from "./ttl.js";

/** Options of {@link MemoryServiceRegistry}. */
export interface MemoryServiceRegistryOptions {
  /** The clock, in epoch milliseconds; default `Date.now`. Stamps `last_heartbeat`, drives TTLs. */
  readonly now?: () => number;
}

interface Entry {
  readonly registration: ServiceRegistration;
  readonly expiresAt: number;
}

/**
 * {@link ServiceRegistry} in process memory (one registry per instance of this class — share the
 * instance to let in-process services discover each other). Entries expire on the injected
 * clock exactly like the Redis keys do; keys are built with `discoveryKey`, so names are
 * validated the same way.
 */
export class MemoryServiceRegistry implements ServiceRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: MemoryServiceRegistryOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async register(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration> {
    return this.#write(registration, ttlMs);
  }

  async heartbeat(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration> {
    return this.#write(registration, ttlMs);
  }

  async deregister(service: string, instance: string): Promise<boolean> {
    const key = discoveryKey(service, instance);
    const existed = this.#live(key) !== undefined;
    this.#entries.delete(key);
    return existed;
  }

  async discover(service: string): Promise<ServiceRegistration[]> {
    discoveryKey(service, service); // validates the name like the Redis pattern does
    return (await this.list()).filter((registration) => registration.service === service);
  }

  async list(): Promise<ServiceRegistration[]> {
    const live: ServiceRegistration[] = [];
    for (const key of [...this.#entries.keys()]) {
      const entry = this.#live(key);
      if (entry !== undefined) live.push(entry.registration);
    }
    return live.sort(compareRegistrations);
  }

  #write(registration: ServiceRegistration, ttlMs: number): ServiceRegistration {
    assertTtlMs(ttlMs);
    const now = this.#now();
    const stored = validateServiceRegistration({ ...registration, lastHeartbeat: new Date(now) });
    this.#entries.set(discoveryKey(stored.service, stored.instance), {
      registration: stored,
      expiresAt: now + ttlMs,
    });
    return stored;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
