import { qualifiedName } from "@tse/instance-naming";
import type { Migration } from "@tse/postgres-kit";

/**
 * Widens `market_snapshots.price_change_percent_24h` from `numeric(10,4)` to `numeric(20,4)`.
 *
 * A simulated price may move anywhere between its floor and its ceiling (10^10 times apart)
 * within a day, so a 24h change can reach 10^12 %; the old column held less than 10^6 % and the
 * snapshot of such a day was refused. Altering a column to the type it already has is a no-op,
 * so the change is idempotent.
 */
export const widenSnapshotPercentage: Migration = {
  version: 2,
  name: "widen_snapshot_percentage",
  sql: (schema) =>
    `alter table ${qualifiedName(schema, "market_snapshots")}
  alter column price_change_percent_24h type numeric(20,4);`,
};
