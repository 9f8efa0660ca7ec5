/**
 * One versioned schema change. `migrate` applies the ones a schema's history lacks, in version
 * order, each in its own transaction together with its history row.
 */
export interface Migration {
  /** Positive integer, unique within a component; applied in ascending order. */
  readonly version: number;
  /** snake_case description, recorded in the history table. */
  readonly name: string;
  /**
   * The SQL of the change for `schema` (one or more statements). It must be idempotent (`if not
   * exists`), so a half-recorded run or a hand-made table does not break a later start, and it
   * must name every object through `quoteIdentifier` / `qualifiedName`.
   */
  readonly sql: (schema: string) => string;
}
