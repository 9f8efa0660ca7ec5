/**
 * Thrown by a composition root when the service cannot start although its configuration is
 * well-formed — a dependency (Postgres, Redis) unreachable or refusing the credentials. Its
 * message is one line naming the dependency and the cause (never a secret); `runServiceMain`
 * prints it without a stack trace and exits with code 2, as for a `ConfigError`. Throw it only
 * before anything was written.
 */
export class StartupError extends Error {
  override readonly name = "StartupError";
}
