import { createHash } from "node:crypto";
import { messageOf } from "@tse/error-text";
import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import type postgres from "postgres";
import type { Migration } from "./migration.js";
import { MigrationError } from "./migration-error.js";

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The instance schema (unquoted), e.g. `market_data_sim_001` or `public`. */
  readonly schema: string;
  /**
   * The component whose tables these are, e.g. `market-data-simulator`; names the history table
   * (`<component with - → _>_schema_migrations`), so two services can share a schema.
   */
  readonly component: string;
  /** The component's migrations, in any order (they are applied by ascending version). */
  readonly migrations: readonly Migration[];
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Versions applied by this call, ascending (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The highest version now recorded. */
  readonly version: number;
}

const COMPONENT = /^[a-z][a-z0-9_-]*$/;

/** Postgres error codes the migration interprets. */
const INSUFFICIENT_PRIVILEGE = "42501";
const DUPLICATE_SCHEMA = "42P06";
const UNIQUE_VIOLATION = "23505";

/**
 * The history table of `component`: `<component, - → _>_schema_migrations`
 * (`market-data-simulator` → `market_data_simulator_schema_migrations`).
 */
export function migrationHistoryTable(component: string): string {
  if (!COMPONENT.test(component)) {
    throw new RangeError(`a component must match ${COMPONENT} (got ${JSON.stringify(component)})`);
  }
  return `${component.replaceAll("-", "_")}_schema_migrations`;
}

/**
 * The advisory lock key of a schema and component: the first 8 bytes of a SHA-256 of both, as
 * a signed 64-bit decimal (the type of `pg_advisory_lock(bigint)`). Stable across processes
 * and versions, so every instance migrating the same tables waits for the same lock.
 */
export function migrationLockKey(schema: string, component: string): string {
  const digest = createHash("sha256").update(`tse:migrate:${schema}:${component}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Brings `schema` up to date for `component`: creates the schema when missing, then applies
 * every migration whose version the history table lacks, in order, each in one transaction with
 * its history row.
 *
 * Contract:
 * - Runs on one reserved connection holding `pg_advisory_lock(migrationLockKey(...))`, so two
 *   instances starting together do not race: the second waits, then finds nothing to do. The
 *   lock is released (and the connection returned) even when a migration fails.
 * - Idempotent: a second call applies nothing and leaves the data alone.
 * - A missing schema the role may not create is a {@link MigrationError} naming the schema and
 *   the role (and how to fix it); so is a schema the role may not create tables in. A failing
 *   migration is a `MigrationError` naming its version, with the driver's error as `cause`; the
 *   versions before it stay applied.
 * - Versions recorded in the history but unknown to `migrations` (a newer release ran) are
 *   left alone.
 */
export async function migrate(sql: postgres.Sql, options: MigrateOptions): Promise<MigrateResult> {
  const { schema, component } = options;
  const migrations = [...options.migrations].sort((a, b) => a.version - b.version);
  assertDistinctVersions(migrations);
  const history = qualifiedName(schema, migrationHistoryTable(component));
  const key = migrationLockKey(schema, component);
  const connection = await sql.reserve();
  try {
    await connection.unsafe("select pg_advisory_lock($1::bigint)", [key]);
    try {
      const [who] = await connection.unsafe<{ role: string; database: string }[]>(
        "select current_user as role, current_database() as database",
      );
      const role = who?.role ?? "unknown";
      const database = who?.database ?? "unknown";
      await ensureSchema(connection, schema, role, database);
      await ensureHistory(connection, history, schema, role);
      const rows = await connection.unsafe<{ version: number }[]>(`select version from ${history}`);
      const done = new Set(rows.map((row) => Number(row.version)));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await applyMigration(connection, migration, schema, history, role);
        done.add(migration.version);
        applied.push(migration.version);
      }
      return { applied, version: Math.max(0, ...done) };
    } finally {
      await connection.unsafe("select pg_advisory_unlock($1::bigint)", [key]).catch(() => {
        // The session may be gone (connection killed); its locks went with it.
      });
    }
  } finally {
    connection.release();
  }
}

async function ensureSchema(
  connection: postgres.ReservedSql,
  schema: string,
  role: string,
  database: string,
): Promise<void> {
  const existing = await connection.unsafe("select 1 from pg_namespace where nspname = $1", [
    schema,
  ]);
  // Checked first because Postgres checks CREATE on the database even for `if not exists`:
  // a role that owns its existing schema but may not create schemas must still migrate.
  if (existing.length > 0) return;
  try {
    await connection.unsafe(`create schema if not exists ${quoteIdentifier(schema)}`);
  } catch (error) {
    const code = errorCode(error);
    // Another component created it between our check and our create.
    if (code === DUPLICATE_SCHEMA || code === UNIQUE_VIOLATION) return;
    if (code === INSUFFICIENT_PRIVILEGE) {
      throw new MigrationError(
        `schema "${schema}" does not exist and role "${role}" may not create it (no CREATE ` +
          `privilege on database "${database}"): create it for the role first ` +
          `(create schema ${quoteIdentifier(schema)} authorization ${quoteIdentifier(role)}) ` +
          `or grant the role CREATE on the database`,
        schema,
        { role, cause: error },
      );
    }
    throw new MigrationError(`creating schema "${schema}" failed: ${messageOf(error)}`, schema, {
      cause: error,
    });
  }
}

async function ensureHistory(
  connection: postgres.ReservedSql,
  history: string,
  schema: string,
  role: string,
): Promise<void> {
  try {
    await connection.unsafe(
      `create table if not exists ${history} (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`,
    );
  } catch (error) {
    throw privilegeOr(error, schema, role, "creating the migration history");
  }
}

async function applyMigration(
  connection: postgres.ReservedSql,
  migration: Migration,
  schema: string,
  history: string,
  role: string,
): Promise<void> {
  // A reserved connection has no `begin()`; the transaction is driven by hand on this session.
  await connection.unsafe("begin");
  try {
    await connection.unsafe(migration.sql(schema));
    await connection.unsafe(`insert into ${history} (version, name) values ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    await connection.unsafe("commit");
  } catch (error) {
    await connection.unsafe("rollback").catch(() => undefined);
    throw privilegeOr(error, schema, role, `migration ${migration.version} (${migration.name})`);
  }
}

function privilegeOr(error: unknown, schema: string, role: string, what: string): MigrationError {
  if (errorCode(error) === INSUFFICIENT_PRIVILEGE) {
    return new MigrationError(
      `${what} failed in schema "${schema}": role "${role}" may not create objects there ` +
        `(grant it CREATE on the schema, or make it the schema's owner): ${messageOf(error)}`,
      schema,
      { role, cause: error },
    );
  }
  return new MigrationError(`${what} failed in schema "${schema}": ${messageOf(error)}`, schema, {
    cause: error,
  });
}

function assertDistinctVersions(migrations: readonly Migration[]): void {
  for (let i = 0; i < migrations.length; i++) {
    const migration = migrations[i] as Migration;
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new RangeError(
        `migration version must be a positive integer (got ${migration.version})`,
      );
    }
    if (i > 0 && migrations[i - 1]?.version === migration.version) {
      throw new RangeError(`migration version ${migration.version} is defined twice`);
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}
