/**
 * Test helpers shared by the workspace's persistence tests (exported as
 * `@tse/market-data-adapter/testing`, source condition only): the real servers' URLs and
 * suite gates, a migrated throw-away schema, a TCP proxy that can cut a connection, and
 * private Postgres / Redis servers a fault test may stop and start.
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
export {
  createTestSchema,
  dropInstanceSchema,
  openTestPool,
  TEST_COMPONENT,
  type TestSchema,
} from "./postgres-test-schema.js";
export {
  describeWithPrivatePostgres,
  describeWithPrivateRedis,
  type PrivateServer,
  startPrivatePostgres,
  startPrivateRedis,
} from "./private-servers.js";
export { type RefusalStores, refusalStores } from "./refusal-stores.js";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
export {
  describeWithPostgres,
  describeWithPostgresAndRedis,
  describeWithRedis,
  reachable,
  type SuiteFunction,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  TEST_SERVERS_UP,
  uniqueTestName,
} from "./test-servers.js";
