import { integerSchema, setting } from "./setting.js";

/**
 * The setting of a service that checks its stores at start-up (Postgres, Redis): how long it
 * waits for them to answer before it gives up with one line and exit 2. A service with stores
 * spreads it into its own settings; one without has no use for it, so it is not common.
 */
export function dependencySettings() {
  return {
    dependencyCheckTimeoutMs: setting({
      env: "DEPENDENCY_CHECK_TIMEOUT_MS",
      description:
        "at start-up, how long to wait for Postgres and Redis to answer before giving up (one line, exit 2), ms",
      default: "10000",
      schema: integerSchema(100, 600_000),
    }),
  };
}
