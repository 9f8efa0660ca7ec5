import { reservedSchemaReason } from "./instance-name.js";

/** A schema name that is safe unquoted and quoted alike. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** The characters a Redis namespace may hold: no glob characters, no whitespace. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9:_-]+:$/;

/** The prefix of the shared discovery registry, which no namespace may claim. */
export const DISCOVERY_PREFIX = "registry:";

/**
 * Why a `SCHEMA_NAME` override is invalid, or `undefined` when it is valid: it must match
 * `^[a-z_][a-z0-9_]*$`, be at most 63 bytes, and not be reserved (`pg_*`, `information_schema`).
 */
export function schemaNameProblem(schema: string): string | undefined {
  if (schema.length > 63) return "must be at most 63 characters";
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    return "must start with a lower-case letter or '_' and contain only a-z, 0-9 and '_'";
  }
  const reserved = reservedSchemaReason(schema);
  return reserved === undefined ? undefined : `must not be ${reserved}`;
}

/**
 * Why a `REDIS_NAMESPACE` override is invalid, or `undefined` when it is valid: it must be
 * made of `[A-Za-z0-9:_-]` (so it can never act as a SCAN glob), end with `:`, be at most 128
 * characters, and not start with the shared `registry:` prefix.
 */
export function redisNamespaceProblem(namespace: string): string | undefined {
  if (namespace.length > 128) return "must be at most 128 characters";
  if (!namespace.endsWith(":")) return "must end with ':'";
  if (namespace.startsWith(":")) return "must not start with ':'";
  if (!NAMESPACE_PATTERN.test(namespace)) {
    return "must contain only letters, digits, ':', '_' and '-' (no glob characters or whitespace)";
  }
  if (namespace.startsWith(DISCOVERY_PREFIX))
    return `must not start with '${DISCOVERY_PREFIX}' (the shared discovery registry)`;
  return undefined;
}
