import { deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import postgres from "postgres";
import { TEST_POSTGRES_URL } from "./test-servers.js";

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
