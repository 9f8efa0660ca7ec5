import { connect } from "node:net";
import { describe } from "vitest";

/** The Postgres the integration tests use: `TEST_POSTGRES_URL`, else this machine's. */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The Redis the integration tests use: `TEST_REDIS_URL`, else this machine's. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const isCi = process.env.CI === "true";

/** Whether a TCP server answers at the host and port of `url`. */
export async function reachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, ""),
      port: Number(port),
      timeout: timeoutMs,
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

const postgresUp = await reachable(TEST_POSTGRES_URL);
const redisUp = await reachable(TEST_REDIS_URL);

/**
 * Whether the test Postgres and Redis answered when the tests loaded, for optional checks
 * inside suites that also run without them (the gates below decide whole suites).
 */
export const TEST_SERVERS_UP: Readonly<{ postgres: boolean; redis: boolean }> = Object.freeze({
  postgres: postgresUp,
  redis: redisUp,
});

/** `describe`, or `describe.skip` when the server is absent; named so declarations can name it. */
export type SuiteFunction = ReturnType<typeof describe.skipIf>;

/**
 * `describe` when `up`; otherwise `describe.skip` with a loud warning naming `name` and where it
 * was looked for, or a hard failure when `CI=true` (CI must never pass by skipping).
 */
export function gate(name: string, up: boolean, url: string): SuiteFunction {
  if (up) return describe.skipIf(false);
  if (isCi) {
    throw new Error(`${name} is required when CI=true but is not available at ${url}`);
  }
  console.warn(
    `\n!!! ${name} is not available at ${url}: its integration tests are SKIPPED. ` +
      "Start or install it (see README) or set CI=true to make this a failure.\n",
  );
  return describe.skipIf(true);
}

/**
 * `describe` for suites that need the real Postgres: skipped with a loud warning locally when
 * it is absent, and a hard failure when `CI=true`.
 */
export const describeWithPostgres: SuiteFunction = gate("Postgres", postgresUp, TEST_POSTGRES_URL);

/** `describe` for suites that need the real Redis; same rules as {@link describeWithPostgres}. */
export const describeWithRedis: SuiteFunction = gate("Redis", redisUp, TEST_REDIS_URL);

/** `describe` for suites that need both servers; same rules as {@link describeWithPostgres}. */
export const describeWithPostgresAndRedis: SuiteFunction = postgresUp
  ? describeWithRedis
  : describeWithPostgres;

/** A name unique to this test run, for schemas and namespaces that must not collide. */
export function uniqueTestName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
