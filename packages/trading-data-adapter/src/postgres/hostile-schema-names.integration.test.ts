import { quoteIdentifier } from "@tse/instance-naming";
import { describeWithPostgres, openTestPool, uniqueTestName } from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sampleOrder, sampleStrategy } from "../contract/trading-samples.js";
import { migrateTradingSchema } from "./migrate-trading-schema.js";
import { PostgresTradingStore } from "./postgres-trading-store.js";

const canary = uniqueTestName("canary").replaceAll("-", "_");
const tag = canary.slice(-6);

/** Schema names that would end a carelessly built statement early (see the market-data twin). */
const HOSTILE_SCHEMAS = [
  `t${tag}"; drop schema ${canary} cascade; --`,
  `t${tag}'; drop schema ${canary} cascade; --`,
  `t${tag}$$; drop schema ${canary} cascade; $$`,
  `t${tag}.public ünïcødé`,
];

/**
 * The trading store under hostile schema names, below the identity checks
 * (docs/data-model.md#instance-identity): its enum types, tables, migrations and unnest commits are
 * always schema-qualified and quoted, so everything lands in exactly the named schema and the
 * canary schema survives.
 */
describeWithPostgres("trading store in hostile schema names (Postgres)", () => {
  let admin: postgres.Sql;
  beforeAll(async () => {
    admin = openTestPool();
    await admin.unsafe(`create schema ${quoteIdentifier(canary)}`);
    await admin.unsafe(`create table ${quoteIdentifier(canary)}.alive (id int)`);
  });
  afterAll(async () => {
    for (const schema of [canary, ...HOSTILE_SCHEMAS]) {
      await admin?.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin?.end({ timeout: 5 });
  });

  it.each(HOSTILE_SCHEMAS)("keeps schema %j to itself", async (schema) => {
    await migrateTradingSchema(admin, { schema });
    const store = new PostgresTradingStore(admin, { schema });
    await store.commit({ strategies: [sampleStrategy()], orders: [sampleOrder(1)] });
    const state = await store.loadState();
    expect(state.strategies.map((s) => s.strategyId)).toEqual(["mm-btc"]);
    expect(state.openOrders).toHaveLength(1);
    const alive = await admin<{ n: number }[]>`
      select count(*)::int as n from information_schema.tables
      where table_schema = ${canary} and table_name = 'alive'`;
    expect(alive[0]?.n).toBe(1);
  });
});
