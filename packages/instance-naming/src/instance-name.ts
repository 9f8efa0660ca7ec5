import { InvalidIdentityError } from "./invalid-identity-error.js";
import {
  reservedNamespaceReason,
  reservedSchemaReason,
  reservedSegmentReason,
} from "./reserved-names.js";

/** The longest instance (or service) name: its schema must fit a 63-byte Postgres identifier. */
export const MAX_INSTANCE_NAME_LENGTH = 63;

/**
 * The rule of docs/data-model.md#instance-identity: lower-case ASCII letters, digits and inner
 * hyphens.
 */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The outcome of a non-throwing check: accepted, or rejected with the rule that was broken. */
export type NameValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks an instance name (service names follow the same rule) without throwing.
 *
 * Contract:
 * - Accepted (`{ ok: true }`) exactly when the name matches `^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`,
 *   has at most 63 characters, its schema (the name with `-` → `_`) is not reserved by Postgres
 *   (`pg_*`, `information_schema`), and its namespace (the name with `-` → `:`, plus `:`) does
 *   not lie under the shared discovery prefix `registry:` (so `registry` and `registry-*` are
 *   rejected), and no `-` segment is a Redis key family (`quote`, `prices`, `cache`), so that no
 *   instance's namespace reaches into another instance's keys (see `aclKeyPatterns`).
 * - Otherwise `{ ok: false, reason }`, where `reason` names the first broken rule, checked in
 *   this order: empty; longer than 63 characters; a character outside `[a-z0-9-]` (upper case,
 *   `_`, whitespace, quotes, non-ASCII); a leading or trailing `-`; a reserved schema; a reserved
 *   namespace; a reserved segment.
 * - The empty string is rejected here: "no instance name" (a single instance) is a decision of
 *   the callers that allow it, such as `resolveServiceIdentity`.
 * - `reason` is phrased to follow a variable name: `SERVICE_INSTANCE_NAME ${reason}`.
 */
export function validateInstanceName(name: string): NameValidation {
  if (name.length === 0) return { ok: false, reason: "must not be empty" };
  if (name.length > MAX_INSTANCE_NAME_LENGTH) {
    return {
      ok: false,
      reason: `must be at most ${MAX_INSTANCE_NAME_LENGTH} characters (has ${name.length})`,
    };
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return { ok: false, reason: "must contain only lower-case letters a-z, digits and '-'" };
  }
  if (!INSTANCE_NAME_PATTERN.test(name)) {
    return { ok: false, reason: "must not start or end with '-'" };
  }
  const schema = name.replaceAll("-", "_");
  const reservedSchema = reservedSchemaReason(schema);
  if (reservedSchema !== undefined) {
    return {
      ok: false,
      reason: `must not derive the reserved Postgres schema "${schema}" (${reservedSchema})`,
    };
  }
  const namespace = `${name.replaceAll("-", ":")}:`;
  const reservedNamespace = reservedNamespaceReason(namespace);
  if (reservedNamespace !== undefined) {
    return {
      ok: false,
      reason: `must not derive the reserved Redis namespace "${namespace}" (${reservedNamespace})`,
    };
  }
  for (const segment of name.split("-")) {
    const reservedSegment = reservedSegmentReason(segment);
    if (reservedSegment !== undefined) {
      return { ok: false, reason: `must not have the segment ${reservedSegment}` };
    }
  }
  return { ok: true };
}

/**
 * Throwing form of {@link validateInstanceName}, for start-up code.
 *
 * Contract: returns nothing for an accepted name; otherwise throws an
 * {@link InvalidIdentityError} whose `variable` is `variable` (default
 * `SERVICE_INSTANCE_NAME`; pass `SERVICE_NAME` for a service name) and whose `reason` is the one
 * `validateInstanceName` gives. The empty string is rejected like any other invalid name.
 */
export function assertInstanceName(name: string, variable = "SERVICE_INSTANCE_NAME"): void {
  const check = validateInstanceName(name);
  if (!check.ok) throw new InvalidIdentityError(variable, check.reason, name);
}
