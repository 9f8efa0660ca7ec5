import { createRedisConnection } from "@tse/redis-kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestPool } from "./postgres-test-schema.js";
import {
  describeWithPrivatePostgres,
  describeWithPrivateRedis,
  type PrivateServer,
  startPrivatePostgres,
  startPrivateRedis,
} from "./private-servers.js";

describeWithPrivatePostgres("startPrivatePostgres", () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("serves a cluster of its own that stops, refuses clients, and starts again with its data", async () => {
    expect(new URL(server.url).port).toBe(String(server.port));
    expect(server.port).not.toBe(5432);
    const sql = openTestPool(server.url, 1);
    try {
      await sql`create table kept (id int)`;
      await sql`insert into kept values (1)`;
      await server.stop();
      expect(server.running).toBe(false);
      await expect(sql`select 1`).rejects.toThrow();
      await server.start();
      expect(server.running).toBe(true);
      expect(await sql`select id from kept`).toEqual([{ id: 1 }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});

describeWithPrivateRedis("startPrivateRedis", () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivateRedis();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("serves a Redis of its own that stops and comes back empty", async () => {
    expect(server.port).not.toBe(6379);
    const connection = createRedisConnection({
      url: server.url,
      namespace: "private:test:",
      onError: () => undefined,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    await connection.connect();
    try {
      await connection.client.set("private:test:key", "1");
      await server.stop();
      expect((await connection.health()).ok).toBe(false);
      await server.start();
      await connection.connect();
      expect(await connection.client.get("private:test:key")).toBeNull();
    } finally {
      await connection.close();
    }
  });
});
