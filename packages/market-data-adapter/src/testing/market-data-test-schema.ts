import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import { openTestPool, TEST_POSTGRES_URL, uniqueTestName } from "@tse/testing";
import type postgres from "postgres";
import { migrateMarketDataSchema } from "../postgres/migrate-market-data-schema.js";

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
  await migrateMarketDataSchema(sql, { schema, component: TEST_COMPONENT });
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
