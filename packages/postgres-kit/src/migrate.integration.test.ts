import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import { describeWithPostgres, openTestPool, uniqueTestName } from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrationHistoryTable, migrationLockKey } from "./migrate.js";
import type { Migration } from "./migration.js";
import { MigrationError } from "./migration-error.js";

const COMPONENT = "postgres-kit-test";

/** Two idempotent toy migrations: a table, then a column on it. */
const NOTES: readonly Migration[] = [
  {
    version: 1,
    name: "create_notes",
    sql: (schema) => `create table if not exists ${qualifiedName(schema, "notes")} (id int)`,
  },
  {
    version: 2,
    name: "add_note_text",
    sql: (schema) =>
      `alter table ${qualifiedName(schema, "notes")} add column if not exists text text`,
  },
];

describe("migration names", () => {
  it("names the history table after the component and refuses other names", () => {
    expect(migrationHistoryTable("market-data-simulator")).toBe(
      "market_data_simulator_schema_migrations",
    );
    expect(() => migrationHistoryTable("Bad Name")).toThrow(RangeError);
  });

  it("derives one stable lock key per schema and component", () => {
    expect(migrationLockKey("a", "c")).toBe(migrationLockKey("a", "c"));
    expect(migrationLockKey("a", "c")).not.toBe(migrationLockKey("b", "c"));
    expect(migrationLockKey("a", "c")).toMatch(/^-?\d+$/);
  });
});

describeWithPostgres("migrate (Postgres)", () => {
  let admin: postgres.Sql;
  const schemas: string[] = [];
  const fresh = (prefix: string) => {
    const schema = uniqueTestName(prefix).replaceAll("-", "_");
    schemas.push(schema);
    return schema;
  };
  const history = async (schema: string) =>
    (
      await admin.unsafe<{ version: number }[]>(
        `select version from ${qualifiedName(schema, migrationHistoryTable(COMPONENT))} order by 1`,
      )
    ).map((row) => row.version);

  beforeAll(() => {
    admin = openTestPool();
  });
  afterAll(async () => {
    for (const schema of schemas) {
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin.end({ timeout: 5 });
  });

  it("applies the versions in order whatever order they are given in, once", async () => {
    const schema = fresh("kit_order");
    const reversed = [...NOTES].reverse();
    expect(await migrate(admin, { schema, component: COMPONENT, migrations: reversed })).toEqual({
      applied: [1, 2],
      version: 2,
    });
    expect(await migrate(admin, { schema, component: COMPONENT, migrations: NOTES })).toEqual({
      applied: [],
      version: 2,
    });
    expect(await history(schema)).toEqual([1, 2]);
  });

  it("leaves versions it does not know alone (a newer release ran)", async () => {
    const schema = fresh("kit_newer");
    await migrate(admin, { schema, component: COMPONENT, migrations: NOTES });
    expect(
      await migrate(admin, { schema, component: COMPONENT, migrations: NOTES.slice(0, 1) }),
    ).toEqual({ applied: [], version: 2 });
  });

  it("refuses duplicate or non-positive versions before touching the database", async () => {
    const schema = fresh("kit_refused");
    const [first] = NOTES as [Migration];
    await expect(
      migrate(admin, { schema, component: COMPONENT, migrations: [first, first] }),
    ).rejects.toThrow("migration version 1 is defined twice");
    await expect(
      migrate(admin, { schema, component: COMPONENT, migrations: [{ ...first, version: 0 }] }),
    ).rejects.toThrow(RangeError);
    const [exists] = await admin.unsafe<{ n: number }[]>(
      "select count(*)::int as n from pg_namespace where nspname = $1",
      [schema],
    );
    expect(exists?.n).toBe(0);
  });

  it("serialises concurrent runs under the advisory lock", async () => {
    const schema = fresh("kit_race");
    const pools = [openTestPool(), openTestPool(), openTestPool()];
    try {
      const results = await Promise.all(
        pools.map((sql) => migrate(sql, { schema, component: COMPONENT, migrations: NOTES })),
      );
      expect(results.flatMap((result) => result.applied)).toEqual([1, 2]);
      expect(await history(schema)).toEqual([1, 2]);
    } finally {
      await Promise.all(pools.map((sql) => sql.end({ timeout: 5 })));
    }
  });

  it("rolls a failing version back, names it, and releases the lock", async () => {
    const schema = fresh("kit_fail");
    const broken: Migration = {
      version: 3,
      name: "broken",
      sql: (s) => `create table ${qualifiedName(s, "half")} (id int); select nonsense from nowhere`,
    };
    const error = await migrate(admin, {
      schema,
      component: COMPONENT,
      migrations: [...NOTES, broken],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toContain("migration 3 (broken)");
    expect((error as MigrationError).schema).toBe(schema);
    expect(await history(schema)).toEqual([1, 2]);
    expect(
      (await migrate(admin, { schema, component: COMPONENT, migrations: NOTES })).applied,
    ).toEqual([]);
  });
});
