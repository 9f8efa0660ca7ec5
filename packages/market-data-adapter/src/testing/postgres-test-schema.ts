import { deriveSchema, qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import postgres from "postgres";
import { migrate } from "../postgres/migrate.js";
import { TEST_POSTGRES_URL, uniqueTestName } from "./test-servers.js";

/** The component name the integration tests migrate for. */
export const TEST_COMPONENT = "market-data-simulator";

/** A migrated schema of its own for one test file, on the test Postgres. */
export interface TestSchema {
  /** A pool on the test database (quiet: notices are not printed). */
  readonly sql: postgres.Sql;
  /** The unquoted schema name, unique to this run. */
  readonly schema: string;
  /** Empties the given tables of the schema (between tests). */
  truncate(...tables: string[]): Promise<void>;
  /** Drops the schema with everything in it and closes the pool. */
  drop(): Promise<void>;
}

/**
 * Opens a pool on `url` (the test Postgres by default), creates and migrates a schema named
 * after `prefix` and this run, and returns it. Pair with `drop()` in `afterAll`.
 */
export async function createTestSchema(
  prefix: string,
  url: string = TEST_POSTGRES_URL,
): Promise<TestSchema> {
  const sql = openTestPool(url);
  const schema = uniqueTestName(prefix).replaceAll("-", "_");
  await migrate(sql, { schema, component: TEST_COMPONENT });
  return {
    sql,
    schema,
    async truncate(...tables) {
      await sql.unsafe(`truncate ${tables.map((t) => qualifiedName(schema, t)).join(", ")}`);
    },
    async drop() {
      await sql.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
      await sql.end({ timeout: 5 });
    },
  };
}

/** A small postgres.js pool for tests, with notices silenced. */
export function openTestPool(url: string = TEST_POSTGRES_URL, max = 4): postgres.Sql {
  return postgres(url, { max, onnotice: () => undefined });
}

/**
 * Drops the schema of the service instance named `instance` (as `deriveSchema` names it), with
 * everything in it: the clean-up of a test that spawned a service against the test Postgres.
 */
export async function dropInstanceSchema(
  instance: string,
  url: string = TEST_POSTGRES_URL,
): Promise<void> {
  const sql = openTestPool(url, 1);
  try {
    await sql.unsafe(`drop schema if exists ${quoteIdentifier(deriveSchema(instance))} cascade`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
