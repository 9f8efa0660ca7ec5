import {
  DISCOVERY_SERVICES_PREFIX,
  discoveryKey,
  discoveryPattern,
  escapeGlob,
} from "@tse/instance-naming";
import { ErrorReply } from "redis";
import {
  parseServiceRegistration,
  type ServiceRegistration,
  serializeServiceRegistration,
  validateServiceRegistration,
} from "../model/service-registration.js";
import { assertTtlMs } from "../repositories/cache-store.js";
import { compareRegistrations, type ServiceRegistry } from "../repositories/service-registry.js";
import { scanKeys } from "./redis-cache-store.js";
import type { RedisConnection } from "./redis-connection.js";

/** Options of {@link RedisServiceRegistry}. */
export interface RedisServiceRegistryOptions {
  readonly connection: RedisConnection;
  /** The clock, in epoch milliseconds, for `last_heartbeat`; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Told about each registry entry {@link RedisServiceRegistry.discover} / `list` skip: invalid
   * JSON, a registration that disagrees with its key, or a key this ACL user may not read.
   */
  readonly onInvalidEntry?: (key: string, reason: string) => void;
}

/**
 * {@link ServiceRegistry} on Redis, in the shared `registry:services:` keys of DESIGN §6.
 * Writes are one `SET key json PX ttl` (atomic value + TTL, and re-creating an expired entry);
 * discovery is `SCAN MATCH registry:services:<service>:*` plus concurrent `GET`s (one round
 * trip), each settling on its own, so a single unreadable entry (e.g. another service's key outside this ACL user's `~` patterns)
 * is skipped instead of failing the whole answer.
 */
export class RedisServiceRegistry implements ServiceRegistry {
  readonly #connection: RedisConnection;
  readonly #now: () => number;
  readonly #onInvalidEntry: (key: string, reason: string) => void;

  constructor(options: RedisServiceRegistryOptions) {
    this.#connection = options.connection;
    this.#now = options.now ?? Date.now;
    this.#onInvalidEntry = options.onInvalidEntry ?? (() => {});
  }

  async register(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration> {
    return this.#write("register", registration, ttlMs);
  }

  async heartbeat(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration> {
    return this.#write("heartbeat", registration, ttlMs);
  }

  async deregister(service: string, instance: string): Promise<boolean> {
    const key = discoveryKey(service, instance);
    return (await this.#connection.run("deregister", (client) => client.unlink(key))) > 0;
  }

  async discover(service: string): Promise<ServiceRegistration[]> {
    return this.#read("discover", discoveryPattern(service));
  }

  async list(): Promise<ServiceRegistration[]> {
    return this.#read("list services", `${escapeGlob(DISCOVERY_SERVICES_PREFIX)}*`);
  }

  async #write(
    operation: string,
    registration: ServiceRegistration,
    ttlMs: number,
  ): Promise<ServiceRegistration> {
    assertTtlMs(ttlMs);
    const stored = validateServiceRegistration({
      ...registration,
      lastHeartbeat: new Date(this.#now()),
    });
    const key = discoveryKey(stored.service, stored.instance);
    const json = serializeServiceRegistration(stored);
    await this.#connection.run(operation, (client) =>
      client.set(key, json, { expiration: { type: "PX", value: ttlMs } }),
    );
    return stored;
  }

  async #read(operation: string, match: string): Promise<ServiceRegistration[]> {
    const keys = new Set<string>();
    for await (const key of scanKeys(this.#connection, match, 200, operation)) keys.add(key);
    if (keys.size === 0) return [];
    const list = [...keys];
    // Concurrent GETs: node-redis writes commands issued in the same tick together, so this is
    // one round trip like a pipeline, but each GET settles on its own — a pipeline rejects as a
    // whole when one key is refused (NOPERM), and one unreadable entry must not hide the rest.
    const replies = await this.#connection.run(operation, async (client) => {
      const settled = await Promise.allSettled(list.map((key) => client.get(key)));
      for (const reply of settled) {
        // An outage is not an invalid entry: rethrow inside run() so it becomes "unavailable".
        if (reply.status === "rejected" && !(reply.reason instanceof ErrorReply))
          throw reply.reason;
      }
      return settled;
    });
    const found: ServiceRegistration[] = [];
    list.forEach((key, index) => {
      const reply = replies[index];
      if (reply === undefined) return;
      if (reply.status === "rejected") {
        this.#onInvalidEntry(key, String((reply.reason as Error).message));
        return;
      }
      if (reply.value === null) return; // expired between SCAN and GET
      try {
        const registration = parseServiceRegistration(String(reply.value));
        if (discoveryKey(registration.service, registration.instance) !== key) {
          this.#onInvalidEntry(key, "the registration's service/instance do not match its key");
          return;
        }
        found.push(registration);
      } catch (error) {
        this.#onInvalidEntry(key, error instanceof Error ? error.message : String(error));
      }
    });
    return found.sort(compareRegistrations);
  }
}
