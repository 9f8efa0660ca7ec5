import { type MigrateResult, type Migration, migrate } from "@tse/postgres-kit";
import type postgres from "postgres";
import { MARKET_DATA_MIGRATIONS } from "./migrations/market-data-migrations.js";

/** Options of {@link migrateMarketDataSchema}. */
export interface MigrateMarketDataSchemaOptions {
  /** The instance schema (unquoted), e.g. `market_data_sim_001` or `public`. */
  readonly schema: string;
  /**
   * The component whose tables these are, e.g. `market-data-simulator`; names the history table
   * (`<component with - → _>_schema_migrations`), so two services can share a schema.
   */
  readonly component: string;
  /** The migrations to apply: {@link MARKET_DATA_MIGRATIONS} unless a test pins fewer. */
  readonly migrations?: readonly Migration[];
}

/**
 * Brings `schema` up to date with the market-data tables through `@tse/postgres-kit`'s
 * `migrate`, so its contract holds: the schema is created when missing (or a `MigrationError`
 * says what to grant), versions are applied in order, each in one transaction with its history
 * row, under an advisory lock of the schema and component; a second run applies nothing.
 */
export function migrateMarketDataSchema(
  sql: postgres.Sql,
  options: MigrateMarketDataSchemaOptions,
): Promise<MigrateResult> {
  return migrate(sql, {
    schema: options.schema,
    component: options.component,
    migrations: options.migrations ?? MARKET_DATA_MIGRATIONS,
  });
}
