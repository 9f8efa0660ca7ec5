import { deriveRedisNamespace, deriveSchema, escapeGlob } from "@tse/instance-naming";
import { createRedisConnection, scanKeys } from "@tse/redis-kit";
import { openTestPool } from "./postgres-test-schema.js";
import { TEST_POSTGRES_URL, TEST_REDIS_URL, uniqueTestName } from "./test-servers.js";

/** Where a refused start-up could have written, and the check that it did not. */
export interface RefusalStores {
  /** The test Postgres and Redis URLs and an instance name of this run. */
  readonly env: Readonly<Record<string, string>>;
  /** Throws naming what exists for the instance or for one of the hostile identities. */
  assertNothingWritten(): Promise<void>;
}

/**
 * Stores for `describeServiceProcess({ refusalStores })`: a refused start-up of service
 * `serviceName` runs against the test Postgres and Redis as an instance of its own, and
 * afterwards nothing may exist for it — no schema of that instance or of any `hostile`
 * identity (`SERVICE_INSTANCE_NAME` / `SCHEMA_NAME` values; the system's own `pg_*` and
 * `information_schema` aside) and no Redis key under its namespace, a hostile
 * `REDIS_NAMESPACE`, or its discovery entry.
 */
export function refusalStores(
  serviceName: string,
  hostile: readonly Readonly<Record<string, string>>[],
): RefusalStores {
  const instance = uniqueTestName("refused");
  const schemas = [
    deriveSchema(instance),
    ...hostile.flatMap((env) => [
      ...(env.SCHEMA_NAME === undefined ? [] : [env.SCHEMA_NAME]),
      ...(env.SERVICE_INSTANCE_NAME === undefined
        ? []
        : [env.SERVICE_INSTANCE_NAME.replaceAll("-", "_")]),
    ]),
  ].filter((schema) => schema !== "information_schema" && !schema.startsWith("pg_"));
  const patterns = [
    `${escapeGlob(deriveRedisNamespace(serviceName, instance))}*`,
    `*${escapeGlob(instance)}*`,
    ...hostile.flatMap((env) =>
      env.REDIS_NAMESPACE === undefined
        ? []
        : ["quote:", "prices:", "health"].map(
            (part) => `${escapeGlob(`${env.REDIS_NAMESPACE}${part}`)}*`,
          ),
    ),
  ];
  return {
    env: {
      POSTGRES_URL: TEST_POSTGRES_URL,
      REDIS_URL: TEST_REDIS_URL,
      SERVICE_INSTANCE_NAME: instance,
    },
    async assertNothingWritten() {
      const sql = openTestPool(TEST_POSTGRES_URL, 1);
      try {
        const found = await sql<{ nspname: string }[]>`
          select nspname from pg_namespace where nspname = any(${schemas})`;
        if (found.length > 0) {
          throw new Error(`a refused start-up created schema(s) ${found.map((r) => r.nspname)}`);
        }
      } finally {
        await sql.end({ timeout: 5 });
      }
      const redis = createRedisConnection({
        url: TEST_REDIS_URL,
        namespace: "refusal:check:",
        onError: () => undefined,
      });
      await redis.connect();
      try {
        for (const pattern of patterns) {
          for await (const key of scanKeys(redis, pattern, 500, "refusal check")) {
            throw new Error(`a refused start-up wrote Redis key ${JSON.stringify(key)}`);
          }
        }
      } finally {
        await redis.close();
      }
    },
  };
}
