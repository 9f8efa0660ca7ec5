import { connect as connectTcp, createServer, type Server, type Socket } from "node:net";
import {
  DISCOVERY_INDEX_KEY,
  discoveryKey,
  resolveServiceIdentity,
  type ServiceIdentity,
  scanPattern,
} from "@tse/instance-naming";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { describeWithRedis, redisGlobMatcher, TEST_REDIS_URL, uniqueTestName } from "@tse/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sampleQuote } from "../contract/quote-store.contract.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import { RedisQuoteStore } from "./redis-quote-store.js";

/**
 * Two instances of the simulator, as docs/data-model.md#instance-identity names them, made unique
 * to this run.
 */
function identity(instance: "a" | "b", run: string): ServiceIdentity {
  return resolveServiceIdentity({
    serviceName: "market-data-simulator",
    instanceName: `market-data-sim-${instance}-${run}`,
    version: "0.0.0-test",
  });
}

describeWithRedis("Redis instance isolation, stream cap, registry TTL, health", () => {
  const run = uniqueTestName("r")
    .slice(2)
    .replace(/[^a-z0-9]/g, "");
  const a = identity("a", run);
  const b = identity("b", run);
  let connection: RedisConnection;

  beforeAll(async () => {
    connection = createRedisConnection({
      url: TEST_REDIS_URL,
      namespace: a,
      onError: (error) => console.warn(`redis: ${error.message}`),
    });
    await connection.connect();
  });
  afterAll(async () => {
    for (const id of [a, b]) await deleteKeysMatching(connection, scanPattern(id));
    await connection.close();
  });

  it("keeps two instances' cache, quotes and streams apart on one Redis", async () => {
    const cacheA = new RedisCacheStore({ connection, namespace: a });
    const cacheB = new RedisCacheStore({ connection, namespace: b });
    const quotesA = new RedisQuoteStore({ connection, namespace: a });
    const quotesB = new RedisQuoteStore({ connection, namespace: b });

    await cacheA.set("shared-name", "from a");
    await quotesA.publishQuotes([sampleQuote({ symbol: "BTC-USD", sequence: 1 })]);
    await quotesB.publishQuotes([sampleQuote({ symbol: "ETH-USD", sequence: 9 })]);

    expect(await cacheB.get("shared-name")).toBeUndefined();
    expect(await cacheB.exists("shared-name")).toBe(false);
    expect(await quotesB.latestQuote("BTC-USD")).toBeUndefined();
    expect((await quotesA.latestQuotes()).map((q) => q.symbol)).toEqual(["BTC-USD"]);
    expect((await quotesB.latestQuotes()).map((q) => q.symbol)).toEqual(["ETH-USD"]);
    expect(await quotesB.streamLength("BTC-USD")).toBe(0);
    expect(await quotesA.readStream("ETH-USD", { count: 10 })).toEqual([]);

    // Every key lives under its instance's namespace, at the documented names.
    const client = connection.client;
    expect(await client.exists(`${a.redisNamespace}quote:BTC-USD`)).toBe(1);
    expect(await client.type(`${a.redisNamespace}prices:BTC-USD`)).toBe("stream");
    expect(await client.exists(`${b.redisNamespace}quote:ETH-USD`)).toBe(1);
    expect(await client.get(`${a.redisNamespace}cache:shared-name`)).toBe("from a");
    expect((await client.sMembers(`${a.redisNamespace}quote-index`)).sort()).toEqual(["BTC-USD"]);
    expect(a.redisNamespace).toMatch(/^market:data:sim:a:/);
  });

  it("caps the price stream: 3 × MAXLEN published, XLEN stays near MAXLEN", async () => {
    const maxLength = 200;
    const store = new RedisQuoteStore({ connection, namespace: a, maxLength });
    for (let start = 0; start < maxLength * 3; start += 100) {
      await store.publishQuotes(
        Array.from({ length: 100 }, (_, index) =>
          sampleQuote({ symbol: "SOL-USD", sequence: start + index }),
        ),
      );
    }
    const length = await connection.client.xLen(`${a.redisNamespace}prices:SOL-USD`);
    expect(length).toBeGreaterThanOrEqual(maxLength);
    expect(length).toBeLessThanOrEqual(maxLength + 100);
  });

  it("publishes a batch in one pipeline round trip", async () => {
    const store = new RedisQuoteStore({ connection, namespace: a });
    const client = connection.client;
    const originalMulti = client.multi.bind(client);
    let pipelines = 0;
    let commands = 0;
    // Count what the store sends: one multi() executed as a pipeline.
    client.multi = (() => {
      const multi = originalMulti();
      const execAsPipeline = multi.execAsPipeline.bind(multi);
      multi.execAsPipeline = (async () => {
        pipelines += 1;
        const replies = await execAsPipeline();
        commands += replies.length;
        return replies;
      }) as typeof multi.execAsPipeline;
      return multi;
    }) as typeof client.multi;
    try {
      await store.publishQuotes(
        ["BTC-USD", "ETH-USD", "SOL-USD"].map((symbol) => sampleQuote({ symbol })),
      );
    } finally {
      client.multi = originalMulti as typeof client.multi;
    }
    expect(pipelines).toBe(1);
    // SET and XADD per quote, one SADD of the batch's symbols to the quote index.
    expect(commands).toBe(7);
  });

  it("writes registry entries with the requested TTL (PTTL) and refreshes it on heartbeat", async () => {
    const registry = new RedisServiceRegistry({ connection });
    const registration = {
      service: "market-data-simulator",
      instance: a.instanceName,
      version: "0.0.0-test",
      host: "127.0.0.1",
      httpPort: 8080,
      grpcPort: 50051,
      status: "healthy",
      environment: "test",
      registeredAt: new Date(),
      lastHeartbeat: new Date(),
    };
    const key = discoveryKey(registration.service, registration.instance);
    try {
      await registry.register(registration, 90_000);
      const first = await connection.client.pTTL(key);
      expect(first).toBeGreaterThan(89_000);
      expect(first).toBeLessThanOrEqual(90_000);
      await connection.client.pExpire(key, 5_000);
      await registry.heartbeat(registration, 90_000);
      expect(await connection.client.pTTL(key)).toBeGreaterThan(89_000);
      const stored = JSON.parse((await connection.client.get(key)) ?? "{}") as Record<
        string,
        unknown
      >;
      expect(stored.instance).toBe(a.instanceName);
      expect(typeof stored.last_heartbeat).toBe("string");
    } finally {
      await registry.deregister(registration.service, registration.instance);
    }
  });

  it("skips registry entries that are not valid registrations, reporting them", async () => {
    const invalid: string[] = [];
    const registry = new RedisServiceRegistry({
      connection,
      onInvalidEntry: (key) => invalid.push(key),
    });
    const service = `market-bad-${run}`.slice(0, 63);
    const bad = discoveryKey(service, "broken");
    const mismatched = discoveryKey(service, "mismatch");
    await connection.client.set(bad, "{not json", { expiration: { type: "PX", value: 60_000 } });
    await connection.client.set(
      mismatched,
      JSON.stringify({
        service,
        instance: "someone-else",
        version: "1",
        host: "h",
        http_port: 1,
        grpc_port: 0,
        status: "healthy",
        environment: "test",
        registered_at: new Date().toISOString(),
        last_heartbeat: new Date().toISOString(),
      }),
      { expiration: { type: "PX", value: 60_000 } },
    );
    const members = [`${service}:broken`, `${service}:mismatch`];
    await connection.client.zAdd(
      DISCOVERY_INDEX_KEY,
      members.map((value) => ({ score: Date.now() + 60_000, value })),
    );
    try {
      expect(await registry.discover(service)).toEqual([]);
      expect(invalid.sort()).toEqual([bad, mismatched].sort());
    } finally {
      await connection.client.unlink([bad, mismatched]);
      await connection.client.zRem(DISCOVERY_INDEX_KEY, members);
    }
  });

  it("health() answers ok with EXISTS, and an aborted signal fails it", async () => {
    const health = await connection.health();
    expect(health.ok).toBe(true);
    const aborted = await connection.health(AbortSignal.abort());
    expect(aborted.ok).toBe(false);
  });

  it("matches keys with the in-memory glob exactly as SCAN MATCH does", async () => {
    const ns = `${a.redisNamespace}glob:`;
    const keys = ["a", "b", "ab", "abc", "a-b", "x1", "x10", "h-llo", "hallo", "hello", "BTC-USD"];
    for (const key of keys) await connection.client.set(`${ns}${key}`, "v");
    const patterns = [
      "*",
      "a*",
      "?",
      "a?",
      "[ab]",
      "[^a]*",
      "x[0-9]",
      "x[0-9]*",
      "h[a-e]llo",
      "h[^e]llo",
      "*-*",
      "[A-Z]*",
    ];
    for (const pattern of patterns) {
      const fromRedis = new Set<string>();
      for await (const key of connection.client.scanIterator({
        MATCH: `${ns}${pattern}`,
        COUNT: 100,
      })) {
        for (const k of key) fromRedis.add(String(k).slice(ns.length));
      }
      const matches = redisGlobMatcher(pattern);
      expect([...fromRedis].sort(), pattern).toEqual(keys.filter((key) => matches(key)).sort());
    }
  });

  it("fails fast while Redis is away, then recovers and re-creates the registry entry", async () => {
    // A TCP proxy in front of the test Redis stands in for a Redis restart: closing it drops
    // every connection and refuses new ones; listening again on the same port "restarts" it.
    const target = new URL(TEST_REDIS_URL);
    const sockets = new Set<Socket>();
    const proxy = (): Server =>
      createServer((downstream) => {
        const upstream = connectTcp(Number(target.port || 6379), target.hostname);
        for (const socket of [downstream, upstream]) {
          sockets.add(socket);
          socket.on("error", () => {});
          socket.on("close", () => sockets.delete(socket));
        }
        downstream.pipe(upstream).pipe(downstream);
      });
    let server = proxy();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no proxy port");
    const errors: Error[] = [];
    const viaProxy = createRedisConnection({
      url: `redis://127.0.0.1:${address.port}`,
      namespace: a,
      commandTimeoutMs: 500,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      onError: (error) => errors.push(error),
    });
    const registry = new RedisServiceRegistry({ connection: viaProxy });
    const registration = {
      service: "market-data-simulator",
      instance: b.instanceName,
      version: "0.0.0-test",
      host: "127.0.0.1",
      httpPort: 8080,
      grpcPort: 50051,
      status: "healthy",
      environment: "test",
      registeredAt: new Date(),
      lastHeartbeat: new Date(),
    };
    try {
      await viaProxy.connect();
      expect((await viaProxy.health()).ok).toBe(true);
      await registry.register(registration, 60_000);

      // Outage: the proxy goes away and the entry expires meanwhile.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await connection.client.unlink(discoveryKey(registration.service, registration.instance));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      const down = await viaProxy.health();
      expect(down.ok).toBe(false);
      expect(performance.now() - started).toBeLessThan(100);
      await expect(registry.heartbeat(registration, 60_000)).rejects.toThrow(/Redis unavailable/);

      // Back: the client reconnects by itself, and the next heartbeat re-creates the entry.
      server = proxy();
      await new Promise<void>((resolve) => server.listen(address.port, "127.0.0.1", resolve));
      await viaProxy.connect();
      expect((await viaProxy.health()).ok).toBe(true);
      await registry.heartbeat(registration, 60_000);
      expect((await registry.discover(registration.service)).map((r) => r.instance)).toContain(
        b.instanceName,
      );
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await registry.deregister(registration.service, registration.instance).catch(() => {});
      await viaProxy.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    }
  });
});
