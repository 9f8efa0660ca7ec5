/** The schema of a single instance (no instance name). */
export const SINGLE_INSTANCE_SCHEMA = "public";

/** Default Redis namespaces of the ecosystem's services when they run as a single instance. */
export const DEFAULT_NAMESPACES: Readonly<Record<string, string>> = {
  "market-data-simulator": "market:data:",
  "trading-system-engine": "trading:engine:",
};

/**
 * The Postgres schema of an instance: the name with `-` → `_` (`market-data-sim-001` →
 * `market_data_sim_001`), or `public` for a single instance (empty name). Expects a name that
 * passed `validateInstanceName`.
 */
export function deriveSchema(instanceName: string): string {
  return instanceName === "" ? SINGLE_INSTANCE_SCHEMA : instanceName.replaceAll("-", "_");
}

/**
 * The Redis namespace of an instance: the name with `-` → `:` plus a trailing `:`
 * (`market-data-sim-001` → `market:data:sim:001:`). A single instance uses its service's
 * default namespace (`market:data:`, `trading:engine:`), or, for another service, the service
 * name derived the same way (`foo-bar` → `foo:bar:`).
 */
export function deriveRedisNamespace(serviceName: string, instanceName: string): string {
  if (instanceName !== "") return `${instanceName.replaceAll("-", ":")}:`;
  return DEFAULT_NAMESPACES[serviceName] ?? `${serviceName.replaceAll("-", ":")}:`;
}
