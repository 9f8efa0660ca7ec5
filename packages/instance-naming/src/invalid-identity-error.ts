/**
 * Thrown when an identity setting breaks its rule. The message is one line that names the
 * variable and the rule, fit to be printed as a start-up error.
 */
export class InvalidIdentityError extends Error {
  override readonly name = "InvalidIdentityError";

  constructor(
    /** The environment variable at fault: `SERVICE_INSTANCE_NAME`, `SCHEMA_NAME`, ... */
    readonly variable: string,
    /** The rule that was broken, e.g. `must not start or end with '-'`. */
    readonly reason: string,
    /** The rejected value. */
    readonly value: string,
  ) {
    super(`${variable} ${reason}, got ${JSON.stringify(value)}`);
  }
}
