import { KEY_FAMILIES } from "./instance-keys.js";

/**
 * The prefix of the shared discovery registry (`registry:services:<service>:<instance>`,
 * docs/data-model.md#service-discovery). It belongs to every service at once, so no instance
 * namespace may lie under it.
 */
export const DISCOVERY_PREFIX = "registry:";

/**
 * Why `schema` is reserved by Postgres, or `undefined` when an application may use it.
 *
 * Contract: reserved are every name starting with `pg_` (Postgres refuses to create them) and
 * `information_schema` (the SQL-standard catalog). The comparison is exact (case-sensitive),
 * which is right for the lower-case names this package produces and accepts.
 */
export function reservedSchemaReason(schema: string): string | undefined {
  if (schema.startsWith("pg_")) return "the pg_ prefix is reserved for system schemas";
  if (schema === "information_schema") return "it is the SQL-standard catalog";
  return undefined;
}

/**
 * Why a Redis namespace is reserved, or `undefined` when an instance may use it.
 *
 * Contract: reserved is every namespace starting with {@link DISCOVERY_PREFIX} (`registry:`),
 * compared exactly (Redis keys are case-sensitive), so that no instance can write, expire or
 * scan as its own the keys of the shared discovery registry.
 */
export function reservedNamespaceReason(namespace: string): string | undefined {
  return namespace.startsWith(DISCOVERY_PREFIX)
    ? `${DISCOVERY_PREFIX} is the shared discovery registry`
    : undefined;
}

/**
 * Why a name segment is reserved, or `undefined` when a name or namespace may contain it.
 *
 * Contract: reserved are the Redis key families (`quote`, `prices`, `cache`; see
 * `KEY_FAMILIES`), compared exactly. An instance whose name (or namespace) has such a segment
 * would have a namespace reaching into the keys of the instance named by the segments before it
 * (`market-data-sim-binance-quote` → `market:data:sim:binance:quote:…`, which are
 * `market-data-sim-binance`'s quotes).
 */
export function reservedSegmentReason(segment: string): string | undefined {
  return KEY_FAMILIES.includes(segment)
    ? `"${segment}" is a Redis key family of every instance (${KEY_FAMILIES.join(", ")})`
    : undefined;
}
