import { describeWithPostgres } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";
import { describeSnapshotRepositoryContract } from "../contract/snapshot-repository.contract.js";
import { createTestSchema, type TestSchema } from "../testing/market-data-test-schema.js";
import { PostgresSnapshotRepository } from "./postgres-snapshot-repository.js";

describeWithPostgres("PostgresSnapshotRepository", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("market_snapshots");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describeSnapshotRepositoryContract("postgres", async () => {
    await db.truncate("market_snapshots");
    return new PostgresSnapshotRepository(db.sql, { schema: db.schema });
  });
});
