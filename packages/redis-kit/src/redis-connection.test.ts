import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createRedisConnection, reconnectDelay } from "./redis-connection.js";
import { RedisUnavailableError } from "./redis-unavailable-error.js";

/** A TCP port on which nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("reconnectDelay", () => {
  it("doubles from the initial delay up to the cap, with equal jitter in [base/2, base)", () => {
    const low = (retries: number) => reconnectDelay(retries, {}, () => 0);
    const high = (retries: number) => reconnectDelay(retries, {}, () => 0.999_999);
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50, 1_000].map(low)).toEqual([
      50, 100, 200, 400, 800, 1_600, 2_500, 2_500, 2_500, 2_500,
    ]);
    expect(high(0)).toBe(100);
    expect(high(100)).toBe(5_000);
    expect(reconnectDelay(3, { initialDelayMs: 1_000, maxDelayMs: 3_000 }, () => 0.5)).toBe(2_250);
  });

  it("never goes below 5 ms, even with a silly configuration (no hot loop)", () => {
    expect(reconnectDelay(0, { initialDelayMs: 0, maxDelayMs: 0 }, () => 0)).toBe(5);
  });
});

describe("RedisConnection without a Redis", () => {
  it("health() fails at once, connect() gives up at its deadline, run() refuses, close() ends the retries", async () => {
    const errors: Error[] = [];
    const connection = createRedisConnection({
      url: `redis://127.0.0.1:${await closedPort()}`,
      namespace: "market:data:test:",
      commandTimeoutMs: 500,
      connectTimeoutMs: 200,
      startupTimeoutMs: 300,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      onError: (error) => errors.push(error),
    });
    expect((await connection.health()).ok).toBe(false);
    const started = performance.now();
    await expect(connection.connect()).rejects.toThrow(RedisUnavailableError);
    expect(performance.now() - started).toBeLessThan(1_000);

    const healthStarted = performance.now();
    const health = await connection.health();
    expect(health).toEqual({ ok: false, reason: "reconnecting" });
    expect(performance.now() - healthStarted).toBeLessThan(50);
    await expect(
      connection.run("test", (client) => client.get("market:data:test:x")),
    ).rejects.toThrow(/Redis unavailable for test: reconnecting/);

    // Errors reach the callback (nothing unhandled), a few per second at most: backoff, no hot loop.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThan(20);
    await connection.close();
    const after = errors.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(errors.length).toBe(after);
    await expect(connection.connect()).rejects.toThrow(/closed/);
  });

  it("validates its settings", () => {
    const base = { url: "redis://127.0.0.1:1", namespace: "market:data:", onError: () => {} };
    expect(() => createRedisConnection({ ...base, commandTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => createRedisConnection({ ...base, namespace: "registry:x:" })).toThrow(RangeError);
  });
});
