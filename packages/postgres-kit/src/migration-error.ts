/**
 * Migrating a schema failed: the role may not create the schema or its tables, a migration's
 * SQL failed, or the history is inconsistent.
 *
 * Contract: the message names the schema (and the role when permissions are the cause) and
 * says what to do; `cause` holds the driver's error; `schema` and `role` (when known) are
 * exposed for callers that report them separately.
 */
export class MigrationError extends Error {
  override readonly name = "MigrationError";

  /** The schema being migrated. */
  readonly schema: string;

  /** The role the migration ran as, when the failure is about its privileges. */
  readonly role: string | undefined;

  constructor(message: string, schema: string, options: { role?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.schema = schema;
    this.role = options.role;
  }
}
