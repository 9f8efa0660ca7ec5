/**
 * Thrown by the Redis stores and {@link RedisConnection} operations when Redis cannot be reached
 * in time: not connected (never connected, reconnecting, closed), a command or pipeline past its
 * deadline, or the socket lost mid-command. `operation` names what was attempted; `cause` is
 * the driver's error when there is one. Callers map it to "unavailable" (Connect `Unavailable`,
 * HTTP 503, readiness `error: …`). Errors Redis itself answers (e.g. `NOPERM`, `WRONGTYPE`) are
 * not wrapped: they are bugs or misconfiguration, not outages.
 */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
  readonly operation: string;

  constructor(operation: string, reason: string, options?: { readonly cause?: unknown }) {
    super(`Redis unavailable for ${operation}: ${reason}`, options);
    this.operation = operation;
  }
}
