import type { NameValidation } from "./instance-name.js";
import {
  DISCOVERY_PREFIX,
  reservedNamespaceReason,
  reservedSchemaReason,
  reservedSegmentReason,
} from "./reserved-names.js";
import { MAX_IDENTIFIER_BYTES } from "./sql-identifier.js";

/** A schema name that means the same quoted and unquoted: `^[a-z_][a-z0-9_]*$`. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** The longest `REDIS_NAMESPACE` accepted: a sanity bound, since it prefixes every key. */
export const MAX_NAMESPACE_LENGTH = 128;

/**
 * Checks a `SCHEMA_NAME` override without throwing.
 *
 * Contract: accepted exactly when the name matches `^[a-z_][a-z0-9_]*$` (so it is a valid
 * unquoted identifier whose quoted form means the same), is at most 63 bytes (longer names would
 * be truncated by Postgres), and is not reserved (`pg_*`, `information_schema`). The empty
 * string is rejected. The `reason` of a rejection follows the variable name:
 * `SCHEMA_NAME ${reason}`.
 */
export function validateSchemaName(schema: string): NameValidation {
  if (schema.length === 0) return { ok: false, reason: "must not be empty" };
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    return {
      ok: false,
      reason: "must start with a lower-case letter or '_' and contain only a-z, 0-9 and '_'",
    };
  }
  // The pattern is ASCII-only, so characters and bytes agree from here on.
  if (schema.length > MAX_IDENTIFIER_BYTES) {
    return {
      ok: false,
      reason: `must be at most ${MAX_IDENTIFIER_BYTES} bytes (has ${schema.length})`,
    };
  }
  const reserved = reservedSchemaReason(schema);
  if (reserved !== undefined) {
    return { ok: false, reason: `must not be a reserved Postgres schema (${reserved})` };
  }
  return { ok: true };
}

/**
 * Checks a `REDIS_NAMESPACE` override without throwing.
 *
 * Contract: accepted exactly when the namespace
 * - is 1 to 128 characters of `[A-Za-z0-9:_-]` only — in particular no glob character
 *   (`* ? [ ] \`) and no whitespace, so it can never widen a `SCAN MATCH` pattern;
 * - ends with `:` and does not start with `:`;
 * - does not start with `registry:`, the shared discovery prefix (it must not be claimable);
 * - has no `:` segment that is a Redis key family (`quote`, `prices`, `cache`; see
 *   `aclKeyPatterns`).
 *
 * Rules are checked in that order; the `reason` of a rejection follows the variable name:
 * `REDIS_NAMESPACE ${reason}`.
 */
export function validateRedisNamespace(namespace: string): NameValidation {
  if (namespace.length === 0) return { ok: false, reason: "must not be empty" };
  if (namespace.length > MAX_NAMESPACE_LENGTH) {
    return {
      ok: false,
      reason: `must be at most ${MAX_NAMESPACE_LENGTH} characters (has ${namespace.length})`,
    };
  }
  if (/[*?[\]\\\s]/.test(namespace)) {
    return { ok: false, reason: "must not contain glob characters (* ? [ ] \\) or whitespace" };
  }
  if (!/^[A-Za-z0-9:_-]+$/.test(namespace)) {
    return { ok: false, reason: "must contain only ASCII letters, digits, ':', '_' and '-'" };
  }
  if (!namespace.endsWith(":")) return { ok: false, reason: "must end with ':'" };
  if (namespace.startsWith(":")) return { ok: false, reason: "must not start with ':'" };
  const reserved = reservedNamespaceReason(namespace);
  if (reserved !== undefined) {
    return { ok: false, reason: `must not start with '${DISCOVERY_PREFIX}' (${reserved})` };
  }
  for (const segment of namespace.slice(0, -1).split(":")) {
    const reservedSegment = reservedSegmentReason(segment);
    if (reservedSegment !== undefined) {
      return { ok: false, reason: `must not have the segment ${reservedSegment}` };
    }
  }
  return { ok: true };
}
