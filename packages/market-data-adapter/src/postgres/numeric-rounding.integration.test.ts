import { roundDecimal } from "@tse/field-checks";
import { describeWithPostgres, openTestPool } from "@tse/testing";
import fc from "fast-check";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { numericText } from "./write-chunks.js";

describeWithPostgres("decimal rounding agrees with Postgres", () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    sql = openTestPool();
  });
  afterAll(async () => {
    await sql.end({ timeout: 5 });
  });

  it("roundDecimal(x, 8) is what numeric(24,8) stores for the text we send", async () => {
    const values = fc.sample(
      fc.oneof(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1e9 + 0.000000005),
        // At most 8 decimals (the fast path), small and near the column's limit.
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1e8),
        fc
          .integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
          .map((n) => n / 1e8),
      ),
      2_000,
    );
    const rows = await sql.unsafe<{ v: string }[]>(
      "select (x::numeric(24,8))::text as v from unnest($1::text[]) with ordinality as t(x, i) order by i",
      [values.map(numericText)],
    );
    const mismatches = values.filter((value, i) => roundDecimal(value, 8) !== Number(rows[i]?.v));
    expect(mismatches).toEqual([]);
  });
});
