import { describeWithPostgres, openTestPool } from "@tse/testing";
import { expect, it } from "vitest";
import { postgresHealthCheck } from "./postgres-health.js";

describeWithPostgres("postgresHealthCheck", () => {
  it("resolves when the database answers", async () => {
    const sql = openTestPool();
    try {
      await expect(postgresHealthCheck(sql)(new AbortController().signal)).resolves.toBeUndefined();
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it("rejects when nothing listens, and at once when the signal is already aborted", async () => {
    const sql = openTestPool("postgres://postgres@127.0.0.1:1/test");
    try {
      await expect(postgresHealthCheck(sql)(new AbortController().signal)).rejects.toThrow();
      await expect(postgresHealthCheck(sql)(AbortSignal.abort(new Error("stop")))).rejects.toThrow(
        "stop",
      );
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it("gives up with the abort reason when the signal aborts during the query", async () => {
    // One connection, busy with pg_sleep: the probe's query queues behind it, like a hung database.
    const sql = openTestPool(undefined, 1);
    try {
      const controller = new AbortController();
      const slow = sql.unsafe("select pg_sleep(10)").catch(() => undefined);
      const check = postgresHealthCheck(sql);
      const started = Date.now();
      setTimeout(() => controller.abort(new Error("timed out")), 50);
      await expect(check(controller.signal)).rejects.toThrow("timed out");
      expect(Date.now() - started).toBeLessThan(5_000);
      void slow;
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
