import {
  DISCOVERY_INDEX_KEY,
  DISCOVERY_SERVICES_PREFIX,
  escapeGlob,
  resolveServiceIdentity,
  scanPattern,
} from "@tse/instance-naming";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { describeServiceRegistryContract } from "@tse/service-discovery/contract";
import { describeWithRedis, TEST_REDIS_URL, uniqueTestName } from "@tse/testing";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCacheStoreContract } from "../contract/cache-store.contract.js";
import { describeQuoteStoreContract } from "../contract/quote-store.contract.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import { RedisQuoteStore } from "./redis-quote-store.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The three contract suites against the Redis at `url`, in a namespace of their own (an
 * instance `market-data-it-…`, so `market:data:it:…:`), every test in a sub-namespace of it, and
 * every key — namespace, registry entries and index members — deleted afterwards by the test
 * Redis' own user (an ACL user may not `SCAN`).
 */
function describeRedisContracts(label: string, url: () => string): void {
  const identity = resolveServiceIdentity({
    serviceName: "market-data-simulator",
    instanceName: uniqueTestName("market-data-it"),
    version: "0.0.0-test",
  });
  const namespace = identity.redisNamespace;
  const servicePrefix = uniqueTestName("market-ct");
  let connection: RedisConnection;
  let cleaner: RedisConnection;
  let test = 0;
  const subNamespace = () => {
    test += 1;
    return `${namespace}t${test}:`;
  };
  const dropRegistry = async (prefix: string) => {
    await deleteKeysMatching(cleaner, `${escapeGlob(DISCOVERY_SERVICES_PREFIX + prefix)}*`);
    const members = await cleaner.client.zRange(DISCOVERY_INDEX_KEY, 0, -1);
    const ours = members.map(String).filter((member) => member.startsWith(prefix));
    if (ours.length > 0) await cleaner.client.zRem(DISCOVERY_INDEX_KEY, ours);
  };

  describe(label, () => {
    beforeAll(async () => {
      connection = createRedisConnection({
        url: url(),
        namespace: identity,
        onError: (error) => console.warn(`redis (${label}): ${error.message}`),
      });
      cleaner = createRedisConnection({
        url: TEST_REDIS_URL,
        namespace: identity,
        onError: () => undefined,
      });
      await Promise.all([connection.connect(), cleaner.connect()]);
    });
    afterAll(async () => {
      await deleteKeysMatching(cleaner, scanPattern(namespace));
      await dropRegistry(servicePrefix);
      await Promise.all([connection.close(), cleaner.close()]);
    });

    describeCacheStoreContract(`redis (${label})`, async () => {
      const ns = subNamespace();
      return {
        store: new RedisCacheStore({ connection, namespace: ns }),
        sleep,
        cleanup: async () => {
          await deleteKeysMatching(cleaner, scanPattern(ns));
        },
      };
    });

    describeQuoteStoreContract(`redis (${label})`, async ({ maxLength }) => {
      const ns = subNamespace();
      return {
        store: new RedisQuoteStore({ connection, namespace: ns, maxLength }),
        cleanup: async () => {
          await deleteKeysMatching(cleaner, scanPattern(ns));
        },
      };
    });

    describeServiceRegistryContract(`redis (${label})`, async ({ now }) => {
      test += 1;
      const prefix = `${servicePrefix}-${test}`;
      return {
        registry: new RedisServiceRegistry({ connection, now }),
        servicePrefix: prefix,
        sleep,
        cleanup: () => dropRegistry(prefix),
      };
    });
  });
}

describeWithRedis("Redis stores", () => {
  describeRedisContracts("default user", () => TEST_REDIS_URL);
});

/**
 * Least privilege: the same suites as an ACL user limited like the ecosystem's adapter users
 * (`~market:* ~registry:services:market-* ~registry:instances +@read +@write +@keyspace
 * -@dangerous -scan -randomkey`, no `PING`).
 */
describeWithRedis("Redis stores as a least-privilege ACL user", () => {
  const user = uniqueTestName("tse-acl");
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const userUrl = () => {
    const parsed = new URL(TEST_REDIS_URL);
    parsed.username = user;
    parsed.password = password;
    return parsed.toString();
  };
  let admin: ReturnType<typeof createClient>;

  beforeAll(async () => {
    admin = createClient({ url: TEST_REDIS_URL, disableClientInfo: true });
    admin.on("error", () => {});
    await admin.connect();
    await admin.sendCommand([
      "ACL",
      "SETUSER",
      user,
      "reset",
      "on",
      `>${password}`,
      "~market:*",
      "~registry:services:market-*",
      `~${DISCOVERY_INDEX_KEY}`,
      "resetchannels",
      "+@read",
      "+@write",
      "+@keyspace",
      "-@dangerous",
      "-scan",
      "-randomkey",
    ]);
  });
  afterAll(async () => {
    await admin.sendCommand(["ACL", "DELUSER", user]);
    await admin.close();
  });

  it("refuses PING, KEYS, SCAN, RANDOMKEY, INFO and CLIENT to that user, so the suites below cannot have used them", async () => {
    const probe = createClient({ url: userUrl(), disableClientInfo: true });
    probe.on("error", () => {});
    await probe.connect();
    try {
      for (const command of [
        ["PING"],
        ["KEYS", "market:*"],
        ["SCAN", "0"],
        ["RANDOMKEY"],
        ["INFO"],
        ["CLIENT", "SETNAME", "x"],
      ]) {
        await expect(probe.sendCommand(command), command.join(" ")).rejects.toThrow(/NOPERM/);
      }
      // …while a key outside the user's patterns is refused too (the limits are real).
      await expect(probe.get("trading:engine:x")).rejects.toThrow(/NOPERM/);
    } finally {
      await probe.close();
    }
  });

  it("lists the registry as that user, skipping entries it may not read instead of failing", async () => {
    const foreign = `registry:services:trading-system-engine:${user}`;
    const mine = `registry:services:market-${user}`.slice(0, 80);
    await admin.set(foreign, "{}", { expiration: { type: "PX", value: 60_000 } });
    await admin.zAdd(DISCOVERY_INDEX_KEY, {
      score: Date.now() + 60_000,
      value: `trading-system-engine:${user}`,
    });
    const connection = createRedisConnection({
      url: userUrl(),
      namespace: "market:data:acl:",
      onError: () => {},
    });
    await connection.connect();
    const skipped: Array<[string, string]> = [];
    try {
      const registry = new RedisServiceRegistry({
        connection,
        onInvalidEntry: (key, reason) => skipped.push([key, reason]),
      });
      const service = `market-${user}`;
      await registry.register(
        {
          service,
          instance: "i1",
          version: "1",
          host: "h",
          httpPort: 8080,
          grpcPort: 0,
          status: "healthy",
          environment: "test",
          registeredAt: new Date(),
          lastHeartbeat: new Date(),
        },
        60_000,
      );
      const listed = await registry.list();
      expect(listed.map((entry) => entry.service)).toContain(service);
      expect(skipped.find(([key]) => key === foreign)?.[1]).toMatch(/NOPERM/);
      expect(await registry.deregister(service, "i1")).toBe(true);
      expect((await connection.health()).ok).toBe(true);
    } finally {
      await admin.unlink([foreign, mine]);
      await admin.zRem(DISCOVERY_INDEX_KEY, `trading-system-engine:${user}`);
      await connection.close();
    }
  });

  describeRedisContracts("ACL user", userUrl);
});
