import { messageOf } from "@tse/error-text";
import {
  bootstrapInstanceRoles,
  describeWithPrivatePostgres,
  openTestPool,
  type PrivateServer,
  requirePasswords,
  startPrivatePostgres,
} from "@tse/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

/**
 * The compose stack's Postgres bootstrap (`docker/postgres/init/01-instances.sql`) as the
 * postgres image runs it: in the application database (`trading`) of a cluster of its own that
 * checks passwords. Each instance role may connect to that database and work in its own schema
 * — and nothing more: no temporary tables (PUBLIC's default TEMPORARY is revoked, not just the
 * role's), no connection to the `postgres` or `template1` databases (PUBLIC's default CONNECT
 * revoked there too), and a role the bootstrap does not know cannot connect at all.
 * A private cluster, because the bootstrap changes cluster-wide grants.
 */
describeWithPrivatePostgres("docker/postgres/init/01-instances.sql", () => {
  let pg: PrivateServer;
  const roles = [
    { schema: "market_data_sim_binance", password: "binance-test-pw" },
    { schema: "trading_engine_lh", password: "engine-test-pw" },
  ];
  const urlAs = (role: string, password: string, database: string) =>
    `postgres://${role}:${password}@127.0.0.1:${pg.port}/${database}`;
  /** Runs `statement` as `role` in `database`; resolves with the error message, or "ok". */
  const attempt = async (role: string, password: string, database: string, statement: string) => {
    const sql = openTestPool(urlAs(role, password, database), 1);
    try {
      await sql.unsafe(statement);
      return "ok";
    } catch (error) {
      return messageOf(error);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    const admin = openTestPool(pg.url, 1);
    try {
      await admin.unsafe("create database trading");
      await requirePasswords(admin);
      await admin.unsafe("create role outsider login password 'outsider-pw'");
    } finally {
      await admin.end({ timeout: 5 });
    }
    const trading = openTestPool(pg.url.replace(/\/postgres$/, "/trading"), 1);
    try {
      // Twice: the file must stay idempotent.
      await bootstrapInstanceRoles(trading, roles);
      await bootstrapInstanceRoles(trading, roles);
    } finally {
      await trading.end({ timeout: 5 });
    }
  }, 120_000);
  afterAll(async () => {
    await pg?.close();
  });

  it("lets each role connect to the application database and work in its own schema", async () => {
    for (const { schema, password } of roles) {
      expect(
        await attempt(schema, password, "trading", `create table ${schema}.probe (id int)`),
      ).toBe("ok");
      expect(await attempt(schema, password, "trading", "select current_user")).toBe("ok");
    }
  });

  it("refuses every role temporary tables", async () => {
    for (const { schema, password } of roles) {
      expect(
        await attempt(schema, password, "trading", "create temporary table scratch (id int)"),
      ).toMatch(/permission denied to create temporary tables/);
    }
  });

  it("refuses every role a connection to the postgres and template1 databases", async () => {
    for (const { schema, password } of roles) {
      for (const database of ["postgres", "template1"]) {
        expect(await attempt(schema, password, database, "select 1"), database).toMatch(
          /permission denied for database/,
        );
      }
    }
  });

  it("refuses a role the bootstrap does not know a connection to the application database", async () => {
    expect(await attempt("outsider", "outsider-pw", "trading", "select 1")).toMatch(
      /permission denied for database "trading"/,
    );
  });
});
