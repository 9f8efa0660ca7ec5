import { describe, expect, it } from "vitest";
import { MigrationError } from "./migration-error.js";
import { awaitStartupMigration } from "./startup-migration.js";

const URL = "postgres://app:secret@db.example:5432/tse";

describe("awaitStartupMigration", () => {
  it("resolves when the migration does", async () => {
    await expect(awaitStartupMigration(URL, Promise.resolve(3))).resolves.toBeUndefined();
  });

  it("passes a MigrationError through unchanged", async () => {
    const refused = new MigrationError("role may not create schema", "tse");
    await expect(awaitStartupMigration(URL, Promise.reject(refused))).rejects.toBe(refused);
  });

  it("wraps any other failure naming the server without credentials", async () => {
    const cause = new Error("connection terminated");
    const failure = await awaitStartupMigration(URL, Promise.reject(cause)).catch((e) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toMatch(
      /^Postgres at .*db\.example.* is not usable: connection terminated$/,
    );
    expect(failure.message).not.toContain("secret");
    expect(failure.cause).toBe(cause);
  });

  it("rejects with the abort reason at once when the signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const pending = awaitStartupMigration(URL, new Promise(() => {}), controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
