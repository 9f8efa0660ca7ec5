import { messageOf } from "@tse/error-text";
import { DISCOVERY_INDEX_KEY, discoveryKey, validateInstanceName } from "@tse/instance-naming";
import type { RedisConnection } from "@tse/redis-kit";
import { ErrorReply } from "redis";
import {
  parseServiceRegistration,
  type ServiceRegistration,
  serializeServiceRegistration,
  validateServiceRegistration,
} from "./service-registration.js";
import { compareRegistrations, type ServiceRegistry } from "./service-registry.js";
import { assertTtlMs } from "./ttl.js";

/**
 * An index member whose entry expired this long ago (by the wall clock of the writer that
 * added it) is dropped by the next write: long enough for any clock skew between hosts.
 */
const INDEX_PRUNE_AFTER_MS = 3_600_000;

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
 * {@link ServiceRegistry} on Redis, in the shared `registry:services:` keys of
 * docs/data-model.md#service-discovery, found through the index `registry:instances` (a sorted set
 * of `<service>:<instance>` scored with the entry's expiry time) instead of `SCAN`, which the
 * ecosystem's ACL users may not run. A write is one pipeline: `SET key json PX ttl` (atomic value +
 * TTL, re-creating an expired entry), `ZADD` of the instance to the index, and the removal of index
 * members whose entry expired more than an hour ago. Discovery reads the index and `GET`s the
 * entries concurrently (one round trip), each settling on its own, so an entry that is gone
 * (expired) or unreadable (another service's key outside this ACL user's `~` patterns) is skipped
 * instead of failing the whole answer.
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
    const [removed] = await this.#connection.run("deregister", (client) =>
      client
        .multi()
        .unlink(key)
        .zRem(DISCOVERY_INDEX_KEY, `${service}:${instance}`)
        .execAsPipeline(),
    );
    return Number(removed) > 0;
  }

  async discover(service: string): Promise<ServiceRegistration[]> {
    const check = validateInstanceName(service);
    if (!check.ok) {
      throw new RangeError(
        `discovery service name ${check.reason}, got ${JSON.stringify(service)}`,
      );
    }
    return this.#read("discover", (member) => member.startsWith(`${service}:`));
  }

  async list(): Promise<ServiceRegistration[]> {
    return this.#read("list services", () => true);
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
    // Index scores are wall-clock times (the injected clock only stamps last_heartbeat), so
    // writers with test clocks cannot prune live members of others.
    const now = Date.now();
    await this.#connection.run(operation, (client) =>
      client
        .multi()
        .set(key, json, { expiration: { type: "PX", value: ttlMs } })
        .zAdd(DISCOVERY_INDEX_KEY, {
          score: now + ttlMs,
          value: `${stored.service}:${stored.instance}`,
        })
        .zRemRangeByScore(DISCOVERY_INDEX_KEY, "-inf", now - INDEX_PRUNE_AFTER_MS)
        .execAsPipeline(),
    );
    return stored;
  }

  async #read(
    operation: string,
    wanted: (member: string) => boolean,
  ): Promise<ServiceRegistration[]> {
    const members = await this.#connection.run(operation, (client) =>
      client.zRange(DISCOVERY_INDEX_KEY, 0, -1),
    );
    const keys = new Set<string>();
    for (const member of members.map(String).filter(wanted)) {
      const separator = member.indexOf(":");
      try {
        keys.add(discoveryKey(member.slice(0, separator), member.slice(separator + 1)));
      } catch (error) {
        this.#onInvalidEntry(
          DISCOVERY_INDEX_KEY,
          `index member ${JSON.stringify(member)}: ${String((error as Error).message)}`,
        );
      }
    }
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
      if (reply.value === null) return; // expired; the index keeps it for a while
      try {
        const registration = parseServiceRegistration(String(reply.value));
        if (discoveryKey(registration.service, registration.instance) !== key) {
          this.#onInvalidEntry(key, "the registration's service/instance do not match its key");
          return;
        }
        found.push(registration);
      } catch (error) {
        this.#onInvalidEntry(key, messageOf(error));
      }
    });
    return found.sort(compareRegistrations);
  }
}
