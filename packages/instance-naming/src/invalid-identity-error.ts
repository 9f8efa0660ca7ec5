/** Values longer than this are shortened in the message (the full value stays in `value`). */
const MAX_SHOWN_VALUE = 80;

/**
 * Thrown when an identity setting breaks its rule, so the service refuses to start.
 *
 * Contract:
 * - `variable` is the environment variable at fault (`SERVICE_NAME`, `SERVICE_INSTANCE_NAME`,
 *   `SERVICE_VERSION`, `SCHEMA_NAME`, `REDIS_NAMESPACE`).
 * - `reason` is the rule that was broken, phrased to follow the variable name
 *   (`must not start or end with '-'`).
 * - `value` is the rejected value, unchanged.
 * - `message` is exactly one line, `<variable> <reason>, got <value as JSON>`: control
 *   characters and line separators in the value are escaped, and values over 80 characters
 *   are shortened with `…`, so it can be printed as a start-up error as is.
 */
export class InvalidIdentityError extends Error {
  override readonly name = "InvalidIdentityError";

  constructor(
    readonly variable: string,
    readonly reason: string,
    readonly value: string,
  ) {
    super(`${variable} ${reason}, got ${showValue(value)}`);
  }
}

function showValue(value: string): string {
  const shown =
    value.length > MAX_SHOWN_VALUE
      ? `${Array.from(value).slice(0, MAX_SHOWN_VALUE).join("")}…`
      : value;
  // JSON escapes C0 controls; also escape DEL, C1 controls (NEL) and the Unicode line separators.
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
