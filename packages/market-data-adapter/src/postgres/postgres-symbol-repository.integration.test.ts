import { describeWithPostgres } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";
import { describeSymbolRepositoryContract } from "../contract/symbol-repository.contract.js";
import { createTestSchema, type TestSchema } from "../testing/market-data-test-schema.js";
import { PostgresSymbolRepository } from "./postgres-symbol-repository.js";

describeWithPostgres("PostgresSymbolRepository", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("symbols");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describeSymbolRepositoryContract("postgres", async (now) => {
    await db.truncate("symbols");
    return new PostgresSymbolRepository(db.sql, { schema: db.schema, now });
  });
});
