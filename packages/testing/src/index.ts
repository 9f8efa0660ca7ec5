/**
 * @tse/testing — the test servers and fixtures of the workspace (source condition only, never
 * built): the real servers' URLs and suite gates, a small pool and schema clean-up, a TCP proxy
 * that can cut a connection, private Postgres / Redis servers a fault test may stop and start,
 * least-privilege roles and ACL users as the compose stack makes them, and dependency failures
 * a service must report at start-up.
 */

export {
  type DependencyFailureCase,
  type DependencyFailures,
  dependencyFailures,
} from "./dependency-failures.js";
export {
  type AclUser,
  aclUserLike,
  bootstrapInstanceRoles,
  type InstanceRole,
  requirePasswords,
} from "./least-privilege.js";
export { dropInstanceSchema, openTestPool } from "./postgres-test-schema.js";
export {
  describeWithPrivatePostgres,
  describeWithPrivateRedis,
  type PrivateServer,
  startPrivatePostgres,
  startPrivateRedis,
} from "./private-servers.js";
export { redisGlobMatcher } from "./redis-glob.js";
export { type RefusalStores, refusalStores } from "./refusal-stores.js";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
export {
  describeWithPostgres,
  describeWithPostgresAndRedis,
  describeWithRedis,
  type SuiteFunction,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  TEST_SERVERS_UP,
  uniqueTestName,
} from "./test-servers.js";
