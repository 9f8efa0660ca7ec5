/**
 * @tse/dependency-check — what the start-up checks of a service's servers share: the one error
 * a failed check throws ({@link DependencyCheckError}, so a composition root catches one class
 * for Postgres and Redis), a server's address without its credentials for messages, and how a
 * blank URL setting reads (no server: the in-memory backend).
 *
 * Storage adapters also share the shapes they report through: a log line ({@link AdapterLog}),
 * a dependency's health ({@link DependencyHealth}) and a readiness probe ({@link AdapterProbe}).
 *
 * The checks themselves live next to their drivers: `checkPostgres` in `@tse/postgres-kit`,
 * `checkRedis` in `@tse/redis-kit`.
 */
export type { AdapterLog, AdapterProbe, DependencyHealth } from "./adapter-ports.js";
export { DependencyCheckError } from "./dependency-check-error.js";
export {
  configuredUrl,
  DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS,
  describeServer,
} from "./describe-server.js";
export { firstLineOf } from "./first-line-of.js";
