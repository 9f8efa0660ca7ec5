/**
 * @tse/service-discovery — how the ecosystem's services find each other: each instance keeps an
 * entry `registry:services:<service>:<instance>` (its address, ports and status) alive with
 * heartbeats, and others look it up. On Redis through the index `registry:instances`, so ACL
 * users that may not `SCAN` or `KEYS` can discover; in memory for tests and single processes.
 */

// Announce an instance and find others.
export { announcementOf } from "./announcement-of.js";
export { findInstance } from "./find-instance.js";
// Registries: the port's implementations.
export {
  MemoryServiceRegistry,
  type MemoryServiceRegistryOptions,
} from "./memory-service-registry.js";
export {
  RedisServiceRegistry,
  type RedisServiceRegistryOptions,
} from "./redis-service-registry.js";
export {
  type Announcement,
  type HeartbeatOutcomes,
  ServiceAnnouncer,
  type ServiceAnnouncerOptions,
} from "./service-announcer.js";
export {
  type ServiceRegistration,
  ServiceRegistrationError,
} from "./service-registration.js";
export type { ServiceRegistry } from "./service-registry.js";
