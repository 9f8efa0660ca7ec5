import { messageOf } from "@tse/error-text";

/** The health of a Postgres-backed store, as an adapter's `health` reports it. */
export interface PostgresStoreHealth {
  readonly ok: boolean;
  /** `ok`, or why it is not ok. */
  readonly detail: string;
}

/**
 * Runs `probe` (see `postgresHealthCheck`) and then asks the store whether its writes fail.
 *
 * Contract: never rejects. Not ok with `query failed: <message>` when the probe fails; else not
 * ok with the text `writeProblem` returns when it returns one (the store's writes are failing);
 * else `{ ok: true, detail: "ok" }`.
 */
export async function postgresStoreHealth(
  probe: (signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
  writeProblem: () => string | undefined,
): Promise<PostgresStoreHealth> {
  try {
    await probe(signal);
  } catch (error) {
    return { ok: false, detail: `query failed: ${messageOf(error)}` };
  }
  const problem = writeProblem();
  return problem === undefined ? { ok: true, detail: "ok" } : { ok: false, detail: problem };
}
