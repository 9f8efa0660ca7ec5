import { describeWithPostgres } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";
import { describePriceFeedRepositoryContract } from "../contract/price-feed-repository.contract.js";
import { createTestSchema, type TestSchema } from "../testing/market-data-test-schema.js";
import { PostgresPriceFeedRepository } from "./postgres-price-feed-repository.js";

describeWithPostgres("PostgresPriceFeedRepository", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("price_feeds");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describePriceFeedRepositoryContract("postgres", async () => {
    await db.truncate("price_feeds");
    return new PostgresPriceFeedRepository(db.sql, { schema: db.schema });
  });
});
