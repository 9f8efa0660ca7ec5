import { describeWithPostgres } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";
import { describeTradingStoreContract } from "../contract/trading-store.contract.js";
import { createTradingTestSchema, type TradingTestSchema } from "../testing/trading-test-schema.js";
import { PostgresTradingStore } from "./postgres-trading-store.js";

describeWithPostgres("PostgresTradingStore", () => {
  let db: TradingTestSchema;
  beforeAll(async () => {
    db = await createTradingTestSchema("trading-store");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describeTradingStoreContract("postgres", async () => {
    await db.truncate();
    return new PostgresTradingStore(db.sql, { schema: db.schema });
  });

  describeTradingStoreContract("postgres, 2 rows per statement", async () => {
    await db.truncate();
    return new PostgresTradingStore(db.sql, { schema: db.schema, rowsPerStatement: 2 });
  });
});
