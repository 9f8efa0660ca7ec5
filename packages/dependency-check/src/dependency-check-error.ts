/**
 * Thrown by the adapters' start-up checks when a dependency cannot be used: `dependency` names
 * it (`Postgres`, `Redis`) and the message is one line with its address (never its credentials)
 * and the cause — `Redis at 127.0.0.1:6379 refused the connection: WRONGPASS …`, `Postgres at
 * 127.0.0.1:5432/trading is unreachable: connect ECONNREFUSED … (gave up after 10000 ms)`.
 * Nothing was written when it is thrown; a service prints the message and exits.
 */
export class DependencyCheckError extends Error {
  override readonly name = "DependencyCheckError";

  constructor(
    readonly dependency: "Postgres" | "Redis",
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
