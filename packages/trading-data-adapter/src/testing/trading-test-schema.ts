import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import { openTestPool, TEST_POSTGRES_URL, uniqueTestName } from "@tse/testing";
import type postgres from "postgres";
import { migrateTradingSchema } from "../postgres/migrate-trading-schema.js";

/** The trading tables, in the order a truncate must name them together. */
export const TRADING_TABLES = Object.freeze([
  "trades",
  "orders",
  "strategies",
  "positions",
  "engine_state",
]);

/** A schema with the trading tables for one test file, on the test Postgres. */
export interface TradingTestSchema {
  /** A pool on the test database (notices silenced). */
  readonly sql: postgres.Sql;
  /** The unquoted schema name, unique to this run. */
  readonly schema: string;
  /** Empties every trading table (between tests). */
  truncate(): Promise<void>;
  /** Drops the schema with everything in it and closes the pool. */
  drop(): Promise<void>;
}

/** A schema name unique to this run, from `prefix` (`-` becomes `_`). */
export function uniqueTestSchema(prefix: string): string {
  return uniqueTestName(prefix).replaceAll("-", "_");
}

/**
 * Opens a pool on `url` (the test Postgres by default), creates a schema named after `prefix`
 * and this run with the trading tables migrated, and returns it. Pair with `drop()` in
 * `afterAll`.
 */
export async function createTradingTestSchema(
  prefix: string,
  url: string = TEST_POSTGRES_URL,
): Promise<TradingTestSchema> {
  const sql = openTestPool(url);
  const schema = uniqueTestSchema(prefix);
  await migrateTradingSchema(sql, { schema });
  return {
    sql,
    schema,
    async truncate() {
      await sql.unsafe(
        `truncate ${TRADING_TABLES.map((table) => qualifiedName(schema, table)).join(", ")}`,
      );
    },
    async drop() {
      await sql.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
      await sql.end({ timeout: 5 });
    },
  };
}
