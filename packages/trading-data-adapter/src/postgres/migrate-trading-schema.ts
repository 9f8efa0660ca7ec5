import { type MigrateResult, migrate } from "@tse/postgres-kit";
import type postgres from "postgres";
import { TRADING_MIGRATIONS } from "./migrations/trading-migrations.js";

/**
 * The component the trading tables are migrated for: its history table is
 * `trading_system_engine_schema_migrations`, next to the market data's in a shared schema.
 */
export const TRADING_COMPONENT = "trading-system-engine";

/** Options of {@link migrateTradingSchema}. */
export interface MigrateTradingSchemaOptions {
  /** The instance schema (unquoted), e.g. `trading_engine_001` or `public`. */
  readonly schema: string;
  /** Names the history table (default {@link TRADING_COMPONENT}). */
  readonly component?: string;
}

/**
 * Brings `schema` up to date with {@link TRADING_MIGRATIONS}, through the workspace's `migrate`
 * (`@tse/market-data-adapter`), so the same contract holds: the schema is created when missing
 * (or a `MigrationError` says what to grant), versions are applied in order, each in one
 * transaction with its history row, under a Postgres advisory lock of the schema and component,
 * so two instances starting together do not race; a second run applies nothing.
 */
export function migrateTradingSchema(
  sql: postgres.Sql,
  options: MigrateTradingSchemaOptions,
): Promise<MigrateResult> {
  return migrate(sql, {
    schema: options.schema,
    component: options.component ?? TRADING_COMPONENT,
    migrations: TRADING_MIGRATIONS,
  });
}
