import type { ServiceRegistration } from "./service-registration.js";

/**
 * The shared service discovery registry of docs/data-model.md#service-discovery: one key per
 * running instance, `registry:services:<service>:<instance>`, holding the JSON of
 * `serializeServiceRegistration` with a TTL (3 × the health check interval) that heartbeats
 * refresh. Not under any instance namespace — every service of the ecosystem reads and writes it.
 *
 * Implementations: Redis (`RedisServiceRegistry`, discovery through the index
 * `registry:instances`, never `SCAN` or `KEYS`) and in memory (`MemoryServiceRegistry`); both
 * take an injected clock for `last_heartbeat`.
 */
export interface ServiceRegistry {
  /**
   * Writes the registration with `last_heartbeat` = now (`registered_at` as given), replacing
   * any entry of the same service and instance, expiring after `ttlMs` (an integer >= 1).
   * Throws a `ServiceRegistrationError` for an invalid registration, a `RangeError` for a bad TTL.
   * Returns what was stored.
   */
  register(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration>;
  /**
   * Refreshes `last_heartbeat` to now and the TTL to `ttlMs`, writing the whole registration —
   * so an entry that expired (e.g. while Redis was away) is re-created. Same errors as
   * {@link register}. Returns what was stored. Stop heartbeats before {@link deregister}, or a
   * late heartbeat re-creates the entry.
   */
  heartbeat(registration: ServiceRegistration, ttlMs: number): Promise<ServiceRegistration>;
  /** Removes the entry; `true` when it existed. Throws a `RangeError` for malformed names. */
  deregister(service: string, instance: string): Promise<boolean>;
  /**
   * Every live registration of `service`, sorted by instance. Entries that are not valid
   * registration JSON, or whose content disagrees with their key, are skipped (and reported to
   * the implementation's `onInvalidEntry`) — another service's bad write must not break
   * discovery.
   */
  discover(service: string): Promise<ServiceRegistration[]>;
  /**
   * Every live registration of every service, sorted by service then instance; invalid or
   * unreadable entries are skipped as in {@link discover}.
   */
  list(): Promise<ServiceRegistration[]>;
}

/** Orders registrations by service, then instance. */
export function compareRegistrations(a: ServiceRegistration, b: ServiceRegistration): number {
  if (a.service !== b.service) return a.service < b.service ? -1 : 1;
  if (a.instance !== b.instance) return a.instance < b.instance ? -1 : 1;
  return 0;
}
