/**
 * @tse/redis-kit — Redis for TSE services, on node-redis: one connection with deliberate
 * command and connect deadlines, reconnects with backoff and an ACL-safe health check; the
 * start-up check; and key scans for users that may not run `KEYS`.
 */

// The connection and its start-up check.
export { checkRedis } from "./check-redis.js";
// Keys of a namespace, without `KEYS`.
export { deleteKeysMatching } from "./delete-keys-matching.js";
export {
  createRedisConnection,
  type ReconnectOptions,
  type RedisClient,
  type RedisConnection,
  type RedisConnectionOptions,
  type RedisConnectionState,
  type RedisHealth,
} from "./redis-connection.js";
export { RedisUnavailableError } from "./redis-unavailable-error.js";
export { scanKeys } from "./scan-keys.js";
