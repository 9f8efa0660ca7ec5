import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { deriveRedisNamespace, deriveSchema, discoveryKey, escapeGlob } from "@tse/instance-naming";
import { createRedisConnection, type RedisConnection, scanKeys } from "@tse/redis-kit";
import { openTestPool } from "./postgres-test-schema.js";
import { TEST_POSTGRES_URL, TEST_REDIS_URL, uniqueTestName } from "./test-servers.js";

/** One start-up against a broken dependency, and what its one-line refusal must say. */
export interface DependencyFailureCase {
  /** What is broken, for the test title. */
  readonly name: string;
  /** The service's environment: the test servers, except for the broken one. */
  readonly env: Readonly<Record<string, string>>;
  /** The instance name the start-up runs as (its schema and namespace must stay empty). */
  readonly instance: string;
  /** The dependency the refusal names (`Postgres`, `Redis`). */
  readonly dependency: string;
  /** The cause the refusal must carry, e.g. `/WRONGPASS/`. */
  readonly cause: RegExp;
}

/** The broken-dependency start-ups of a service, with their setup and checks. */
export interface DependencyFailures {
  readonly cases: readonly DependencyFailureCase[];
  /** Creates what the cases need on the shared servers (a private Redis ACL user). */
  setup(): Promise<void>;
  /** Removes it again. */
  cleanup(): Promise<void>;
  /**
   * Throws naming what exists for the case's instance: its Postgres schema, a Redis key under
   * its namespace, or its discovery entry.
   */
  assertNothingWritten(failure: DependencyFailureCase): Promise<void>;
}

/**
 * Start-ups of `serviceName` against the test Postgres and Redis with one dependency broken at
 * a time: Redis answering `WRONGPASS` (a private ACL user of this run with a wrong password),
 * a Redis port and a Postgres port nobody listens on, and a Postgres database that does not
 * exist. `extraEnv` goes into every case (e.g. a short `DEPENDENCY_CHECK_TIMEOUT_MS`).
 */
export async function dependencyFailures(
  serviceName: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<DependencyFailures> {
  const user = uniqueTestName("tse-acl");
  const password = randomBytes(12).toString("hex");
  const closedPort = await unusedPort();
  const redisUrl = new URL(TEST_REDIS_URL);
  const postgresUrl = new URL(TEST_POSTGRES_URL);
  const withPort = (url: URL, port: number) => {
    const copy = new URL(url);
    copy.port = String(port);
    return copy.toString();
  };
  const wrongPassword = new URL(TEST_REDIS_URL);
  wrongPassword.username = user;
  wrongPassword.password = `not-${password}`;
  const missingDatabase = new URL(TEST_POSTGRES_URL);
  missingDatabase.pathname = `/${deriveSchema(uniqueTestName("nodb"))}`;
  const make = (
    name: string,
    dependency: string,
    cause: RegExp,
    broken: Record<string, string>,
  ): DependencyFailureCase => {
    const instance = uniqueTestName("depfail");
    return {
      name,
      dependency,
      cause,
      instance,
      env: {
        POSTGRES_URL: TEST_POSTGRES_URL,
        REDIS_URL: TEST_REDIS_URL,
        SERVICE_INSTANCE_NAME: instance,
        ...extraEnv,
        ...broken,
      },
    };
  };
  const cases = [
    make("a wrong Redis password", "Redis", /WRONGPASS/, { REDIS_URL: wrongPassword.toString() }),
    make("an unreachable Redis", "Redis", /ECONNREFUSED/, {
      REDIS_URL: withPort(redisUrl, closedPort),
    }),
    make("an unreachable Postgres", "Postgres", /ECONNREFUSED/, {
      POSTGRES_URL: withPort(postgresUrl, closedPort),
    }),
    make("a Postgres database that does not exist", "Postgres", /does not exist/, {
      POSTGRES_URL: missingDatabase.toString(),
    }),
  ];
  return {
    cases,
    async setup() {
      const connection = await connectAdmin();
      try {
        await connection.client.sendCommand([
          "ACL",
          "SETUSER",
          user,
          "on",
          `>${password}`,
          "resetkeys",
          `~${escapeGlob(deriveRedisNamespace(serviceName, user))}*`,
          "-@all",
          "+@read",
          "+@write",
        ]);
      } finally {
        await connection.close();
      }
    },
    async cleanup() {
      const connection = await connectAdmin();
      try {
        await connection.client.sendCommand(["ACL", "DELUSER", user]);
      } finally {
        await connection.close();
      }
    },
    async assertNothingWritten(failure) {
      const sql = openTestPool(TEST_POSTGRES_URL, 1);
      try {
        const schema = deriveSchema(failure.instance);
        const found = await sql`select 1 from pg_namespace where nspname = ${schema}`;
        if (found.length > 0) throw new Error(`the refused start-up created schema ${schema}`);
      } finally {
        await sql.end({ timeout: 5 });
      }
      const connection = await connectAdmin();
      try {
        const namespace = deriveRedisNamespace(serviceName, failure.instance);
        for await (const key of scanKeys(connection, `${escapeGlob(namespace)}*`, 500, "check")) {
          throw new Error(`the refused start-up wrote Redis key ${key}`);
        }
        const entry = discoveryKey(serviceName, failure.instance);
        if ((await connection.client.exists(entry)) > 0) {
          throw new Error(`the refused start-up registered ${entry}`);
        }
      } finally {
        await connection.close();
      }
    },
  };
}

async function connectAdmin(): Promise<RedisConnection> {
  const connection = createRedisConnection({
    url: TEST_REDIS_URL,
    namespace: "dependency:failures:",
    onError: () => undefined,
  });
  await connection.connect();
  return connection;
}

/** A port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
