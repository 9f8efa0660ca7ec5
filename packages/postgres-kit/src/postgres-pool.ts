import postgres from "postgres";

/** Postgres pool settings; every field has a default. */
export interface PostgresPoolOptions {
  /** Pool size (`MAX_CONNECTIONS`; default 10). */
  readonly maxConnections?: number;
  /** Deadline of one connection attempt, seconds (default 5). */
  readonly connectTimeoutSeconds?: number;
  /** Idle connections are closed after this many seconds (default 30). */
  readonly idleTimeoutSeconds?: number;
  /** Server-side `statement_timeout`, ms (default 30 000); 0 disables it. */
  readonly statementTimeoutMs?: number;
}

/**
 * A postgres.js pool on `url` with the workspace's settings: the sizes and deadlines of
 * `options` (defaults above), server notices dropped, and `applicationName` as the sessions'
 * `application_name` so `pg_stat_activity` shows who holds a connection. Connects lazily, on
 * the first query.
 */
export function createPostgresPool(
  url: string,
  applicationName: string,
  options: PostgresPoolOptions = {},
): postgres.Sql {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  return postgres(url, {
    max: options.maxConnections ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    onnotice: () => undefined,
    connection: {
      application_name: applicationName,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    },
  });
}
