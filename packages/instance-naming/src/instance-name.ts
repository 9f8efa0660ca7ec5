/** The longest instance name: a Postgres identifier holds at most 63 bytes. */
export const MAX_INSTANCE_NAME_LENGTH = 63;

/** The rule of DESIGN §3: lower-case letters, digits and inner hyphens. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The result of {@link validateInstanceName}. */
export type NameValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks an instance (or service) name without throwing. The empty string is NOT accepted
 * here: "no instance name" is handled by the callers that allow it.
 *
 * Rejected, each with its reason: longer than 63 characters; anything but `[a-z0-9-]`
 * (upper case, `_`, spaces, non-ASCII, quotes); a leading or trailing `-`; a name whose
 * schema would be reserved in Postgres (`pg_*`, `information_schema`).
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
  if (!INSTANCE_NAME_PATTERN.test(name))
    return { ok: false, reason: "must not start or end with '-'" };
  const schema = name.replaceAll("-", "_");
  const reserved = reservedSchemaReason(schema);
  if (reserved !== undefined) return { ok: false, reason: `would derive ${reserved}` };
  return { ok: true };
}

/** Why `schema` is reserved by Postgres, or `undefined` when it is free to use. */
export function reservedSchemaReason(schema: string): string | undefined {
  if (schema.startsWith("pg_"))
    return `the schema "${schema}", and names starting with pg_ are reserved by Postgres`;
  if (schema === "information_schema")
    return 'the schema "information_schema", which is reserved by Postgres';
  return undefined;
}
