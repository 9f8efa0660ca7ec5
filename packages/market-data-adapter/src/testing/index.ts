/**
 * Test helpers shared by the workspace's persistence tests (exported as
 * `@tse/market-data-adapter/testing`, source condition only): the real servers' URLs and
 * suite gates, a migrated throw-away schema, and a TCP proxy that can cut a connection.
 */
export {
  createTestSchema,
  openTestPool,
  TEST_COMPONENT,
  type TestSchema,
} from "./postgres-test-schema.js";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
export {
  describeWithPostgres,
  describeWithPostgresAndRedis,
  describeWithRedis,
  reachable,
  type SuiteFunction,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  uniqueTestName,
} from "./test-servers.js";
