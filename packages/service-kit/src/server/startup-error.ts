import { DependencyCheckError } from "@tse/dependency-check";

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

/**
 * What a composition root throws when its adapter's start-up check fails: a
 * `DependencyCheckError` (`@tse/dependency-check`) becomes a {@link StartupError} whose one-line
 * message is prefixed with the setting that names the server (`REDIS_URL: …` for Redis,
 * `POSTGRES_URL: …` for Postgres), with the check's error as `cause`. Any other error is
 * returned unchanged.
 */
export function startupErrorOf(error: unknown): unknown {
  if (!(error instanceof DependencyCheckError)) return error;
  const variable = error.dependency === "Redis" ? "REDIS_URL" : "POSTGRES_URL";
  return new StartupError(`${variable}: ${error.message}`, { cause: error });
}
