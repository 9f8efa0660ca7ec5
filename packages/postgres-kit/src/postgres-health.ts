import type postgres from "postgres";

/**
 * A readiness probe for Postgres: resolves when `select 1` ran, rejects with the driver's error
 * otherwise. When `signal` aborts, the query is cancelled on the server and the probe rejects
 * at once with the abort reason, so a hung database cannot hold a readiness check.
 */
export function postgresHealthCheck(sql: postgres.Sql): (signal: AbortSignal) => Promise<void> {
  return (signal) => {
    // Rejected, not thrown: callers get a promise either way.
    if (signal.aborted) return Promise.reject(signal.reason);
    const query = sql.unsafe("select 1");
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        query.cancel();
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      query.then(
        () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  };
}
