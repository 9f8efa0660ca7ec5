import { describeWithPostgres } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";
import { describeCandleRepositoryContract } from "../contract/candle-repository.contract.js";
import { createTestSchema, type TestSchema } from "../testing/market-data-test-schema.js";
import { PostgresCandleRepository } from "./postgres-candle-repository.js";

describeWithPostgres("PostgresCandleRepository", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("candles");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describeCandleRepositoryContract("postgres", async () => {
    await db.truncate("candles");
    return new PostgresCandleRepository(db.sql, { schema: db.schema });
  });

  describeCandleRepositoryContract("postgres, 1000 rows per statement", async () => {
    await db.truncate("candles");
    return new PostgresCandleRepository(db.sql, { schema: db.schema, rowsPerStatement: 1_000 });
  });
});
