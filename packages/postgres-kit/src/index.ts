/**
 * @tse/postgres-kit — Postgres for TSE services, on postgres.js: a pool with deliberate sizes and
 * deadlines, versioned migrations under an advisory lock (each component brings its own list
 * and history table) and the start-up check and the readiness probe.
 */

// Pool, start-up check and readiness probe.
export { type CheckPostgresOptions, checkPostgres } from "./check-postgres.js";
// Versioned migrations.
export {
  type MigrateOptions,
  type MigrateResult,
  migrate,
  migrationHistoryTable,
} from "./migrate.js";
export type { Migration } from "./migration.js";
export { MigrationError } from "./migration-error.js";
export { postgresHealthCheck } from "./postgres-health.js";
export { createPostgresPool, type PostgresPoolOptions } from "./postgres-pool.js";
export { awaitStartupMigration } from "./startup-migration.js";
export { type PostgresStoreHealth, postgresStoreHealth } from "./store-health.js";
