import { assertInstanceName } from "./instance-name.js";

/** The schema of a single instance (one that has no instance name). */
export const SINGLE_INSTANCE_SCHEMA = "public";

/**
 * The Redis namespaces of the ecosystem's services when they run as a single instance, keyed by
 * service name. Frozen.
 */
export const DEFAULT_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({
  "market-data-simulator": "market:data:",
  "trading-system-engine": "trading:engine:",
});

/**
 * The Postgres schema of an instance.
 *
 * Contract:
 * - `""` (a single instance) → `public`.
 * - Any other name must pass `validateInstanceName`, else an `InvalidIdentityError` for
 *   `SERVICE_INSTANCE_NAME` is thrown; the schema is then the name with every `-` replaced by
 *   `_` (`market-data-sim-001` → `market_data_sim_001`).
 * - Injective over accepted names: replacing `_` by `-` in the schema gives the name back,
 *   because accepted names contain no `_`.
 */
export function deriveSchema(instanceName: string): string {
  if (instanceName === "") return SINGLE_INSTANCE_SCHEMA;
  assertInstanceName(instanceName);
  return instanceName.replaceAll("-", "_");
}

/**
 * The Redis namespace (key prefix) of an instance of `serviceName`.
 *
 * Contract:
 * - Both names are validated first: `serviceName` must pass `validateInstanceName` (else an
 *   `InvalidIdentityError` for `SERVICE_NAME`), and a non-empty `instanceName` too (else one for
 *   `SERVICE_INSTANCE_NAME`).
 * - A named instance: the name with every `-` replaced by `:`, plus a trailing `:`
 *   (`market-data-sim-001` → `market:data:sim:001:`).
 * - A single instance (`instanceName` is `""`): the service's entry in
 *   {@link DEFAULT_NAMESPACES} (`market:data:`, `trading:engine:`), or for any other service
 *   its name derived the same way (`foo-bar` → `foo:bar:`).
 * - The result always ends with `:`, contains only `[a-z0-9:]` (no glob character, no
 *   whitespace) and never starts with the discovery prefix `registry:`.
 */
export function deriveRedisNamespace(serviceName: string, instanceName: string): string {
  assertInstanceName(serviceName, "SERVICE_NAME");
  if (instanceName !== "") {
    assertInstanceName(instanceName);
    return `${instanceName.replaceAll("-", ":")}:`;
  }
  return Object.hasOwn(DEFAULT_NAMESPACES, serviceName)
    ? (DEFAULT_NAMESPACES[serviceName] as string)
    : `${serviceName.replaceAll("-", ":")}:`;
}
