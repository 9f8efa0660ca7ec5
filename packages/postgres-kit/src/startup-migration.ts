import { describeServer } from "@tse/dependency-check";
import { messageOf } from "@tse/error-text";
import { MigrationError } from "./migration-error.js";

/**
 * Awaits a component's schema migration (`migration`, already started) as part of an adapter's
 * `connect`, after its start-up check passed.
 *
 * Contract: resolves when the migration did. A {@link MigrationError} (the migration itself was
 * refused or failed) rejects unchanged; so does `signal`'s reason, at once when `signal` aborts
 * (the migration is not waited for). Any other failure (the connection broke, the role may not
 * create the schema) rejects with an `Error` `Postgres at <server> is not usable: <cause>`
 * (server without credentials, see `describeServer`) carrying it as `cause`.
 */
export async function awaitStartupMigration(
  url: string,
  migration: Promise<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await (signal === undefined ? migration : abortable(migration, signal));
  } catch (error) {
    if (error instanceof MigrationError || (signal !== undefined && error === signal.reason)) {
      throw error;
    }
    throw new Error(`Postgres at ${describeServer(url)} is not usable: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/** `promise`, or a rejection with `signal.reason` as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
