import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import {
  aclKeyPatterns,
  DISCOVERY_INDEX_KEY,
  deriveRedisNamespace,
  discoveryKey,
  discoveryPattern,
  scanPattern,
} from "@tse/instance-naming";
import { createRedisConnection, deleteKeysMatching, type RedisConnection } from "@tse/redis-kit";
import { RedisServiceRegistry } from "@tse/service-discovery";
import { aclUserLike } from "@tse/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCacheStoreContract } from "../contract/cache-store.contract.js";
import { describeQuoteStoreContract, sampleQuote } from "../contract/quote-store.contract.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import { RedisQuoteStore } from "./redis-quote-store.js";

/**
 * The compose stack's Redis ACL (`docker/redis/users.acl`) against the adapter: a private
 * redis-server loads the file, and the cache and quote contract suites run as each instance's
 * user in its namespace, plus a discovery round trip — so the file grants each service what the
 * adapter needs. Then what it must not grant: key names of other instances (SCAN, RANDOMKEY,
 * KEYS), and the keys of an instance added the way the README describes whose namespace
 * extends another one's (`market-data-sim-binance-eu` next to `market-data-sim-binance`).
 * Never touches the machine's shared Redis.
 */
const aclFile = fileURLToPath(new URL("../../../../docker/redis/users.acl", import.meta.url));
const SERVICES: Readonly<Record<string, string>> = {
  "market-data-sim": "market-data-simulator",
  "trading-engine": "trading-system-engine",
};
const users = readFileSync(aclFile, "utf8")
  .split("\n")
  .map((line) => /^user (\S+) on >(\S+) /.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .filter(([, user]) => user !== "admin")
  .map(([, user, password]) => {
    const instance = user as string;
    const prefix = Object.keys(SERVICES).find((start) => instance.startsWith(`${start}-`));
    const service = SERVICES[prefix ?? ""] ?? "unknown";
    return {
      user: instance,
      password: password as string,
      service,
      instance,
      namespace: deriveRedisNamespace(service, instance),
    };
  });
const redisServer = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
})();
if (redisServer === "") {
  const message = "redis-server is not installed: the compose ACL suite cannot start its server";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0),
      );
    });
  });
}

describe.skipIf(redisServer === "")("docker/redis/users.acl with the adapter", () => {
  let server: ChildProcess;
  let port = 0;
  let admin: RedisConnection;
  const connectAs = async (user: string, password: string, namespace: string) => {
    const connection = createRedisConnection({
      url: `redis://${user}:${password}@127.0.0.1:${port}`,
      namespace,
      onError: () => undefined,
    });
    await connection.connect();
    return connection;
  };
  /** Removes every key under `namespace`, as the admin user (ACL users may not SCAN). */
  const wipe = (namespace: string) =>
    deleteKeysMatching(admin, scanPattern(namespace)).then(() => undefined);

  beforeAll(async () => {
    port = await freePort();
    server = spawn(
      redisServer,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--aclfile",
        aclFile,
      ],
      { stdio: "ignore" },
    );
    for (let attempt = 0; ; attempt += 1) {
      try {
        admin = await connectAs("admin", "admin-dev", "admin:");
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  afterAll(async () => {
    await admin?.close();
    server?.kill("SIGTERM");
  });

  it("defines a user per compose instance", () => {
    expect(users.map((u) => u.user).sort()).toEqual([
      "market-data-sim-binance",
      "market-data-sim-coinbase",
      "trading-engine-lh",
    ]);
  });

  it("gives each user exactly its key families, its discovery entry and the registry index", () => {
    const lines = readFileSync(aclFile, "utf8").split("\n");
    for (const acl of users) {
      const line = lines.find((entry) => entry.startsWith(`user ${acl.user} `)) ?? "";
      const keyRules = line.split(" ").filter((rule) => /^%?[RW]*~/.test(rule));
      const reads =
        acl.service === "trading-system-engine"
          ? [`%R~${discoveryPattern("market-data-simulator")}`]
          : [];
      expect(keyRules, acl.user).toEqual([
        ...aclKeyPatterns(acl.namespace).map((pattern) => `~${pattern}`),
        `~${discoveryKey(acl.service, acl.instance)}`,
        `~${DISCOVERY_INDEX_KEY}`,
        ...reads,
      ]);
      expect(line, acl.user).toMatch(
        / resetchannels -@all \+@read \+@write \+@keyspace -@dangerous -scan -randomkey$/,
      );
    }
  });

  for (const acl of users) {
    describe(`as ${acl.user}`, () => {
      let connection: RedisConnection;
      beforeAll(async () => {
        connection = await connectAs(acl.user, acl.password, acl.namespace);
      });
      afterAll(async () => {
        await wipe(acl.namespace);
        await connection.close();
      });

      describeCacheStoreContract(`redis as ${acl.user}`, async () => ({
        store: new RedisCacheStore({ connection, namespace: acl.namespace }),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        cleanup: () => wipe(acl.namespace),
      }));

      describeQuoteStoreContract(`redis as ${acl.user}`, async ({ maxLength }) => ({
        store: new RedisQuoteStore({ connection, namespace: acl.namespace, maxLength }),
        cleanup: () => wipe(acl.namespace),
      }));

      it("registers, is discovered, heartbeats and deregisters under its own key; health passes", async () => {
        const registry = new RedisServiceRegistry({ connection });
        const at = new Date();
        const registration = {
          service: acl.service,
          instance: acl.instance,
          version: "1.0.0",
          host: acl.instance,
          httpPort: 8080,
          grpcPort: 50051,
          status: "healthy" as const,
          environment: "compose",
          registeredAt: at,
          lastHeartbeat: at,
        };
        await registry.register(registration, 60_000);
        expect((await registry.discover(acl.service)).map((e) => e.instance)).toContain(
          acl.instance,
        );
        await registry.heartbeat(registration, 60_000);
        expect(await registry.deregister(acl.service, acl.instance)).toBe(true);
        expect((await connection.health()).ok).toBe(true);
      });

      it("is refused another instance's namespace", async () => {
        const other = users.find((u) => u.user !== acl.user) as (typeof users)[number];
        const foreign = new RedisCacheStore({ connection, namespace: other.namespace });
        await expect(foreign.get("anything")).rejects.toThrow(/NOPERM|No permissions/);
      });

      it("may not list key names: SCAN, RANDOMKEY and KEYS are refused", async () => {
        await admin.client.set(`${users[0]?.namespace}quote:SECRET-USD`, "{}");
        for (const command of [
          ["SCAN", "0"],
          ["SCAN", "0", "MATCH", "*"],
          ["RANDOMKEY"],
          ["KEYS", "*"],
        ]) {
          await expect(connection.client.sendCommand(command), command.join(" ")).rejects.toThrow(
            /NOPERM/,
          );
        }
      });
    });
  }

  describe("an instance added as the README describes: market-data-sim-binance-eu", () => {
    const eu = aclUserLike(
      "market-data-sim-binance",
      "market-data-sim-binance-eu",
      deriveRedisNamespace("market-data-simulator", "market-data-sim-binance-eu"),
      "binance-eu-test",
    );
    const euNamespace = deriveRedisNamespace("market-data-simulator", "market-data-sim-binance-eu");
    const binance = users.find(
      (u) => u.user === "market-data-sim-binance",
    ) as (typeof users)[number];
    let asEu: RedisConnection;
    let asBinance: RedisConnection;
    beforeAll(async () => {
      await admin.client.sendCommand(["ACL", "SETUSER", ...eu.setUser]);
      asEu = await connectAs(eu.user, eu.password, euNamespace);
      asBinance = await connectAs(binance.user, binance.password, binance.namespace);
    });
    afterAll(async () => {
      await Promise.all([asEu?.close(), asBinance?.close()]);
      await wipe(binance.namespace);
    });

    it("its namespace extends binance's (the case the ACL patterns must keep apart)", () => {
      expect(euNamespace.startsWith(binance.namespace)).toBe(true);
    });

    it("publishes its quotes, which the binance user can neither read nor overwrite", async () => {
      const euQuotes = new RedisQuoteStore({ connection: asEu, namespace: euNamespace });
      await euQuotes.publishQuotes([sampleQuote({ symbol: "BTC-USD" })]);
      const intruder = new RedisQuoteStore({ connection: asBinance, namespace: euNamespace });
      await expect(intruder.latestQuote("BTC-USD")).rejects.toThrow(/NOPERM/);
      await expect(
        intruder.publishQuotes([sampleQuote({ symbol: "BTC-USD", sequence: 666 })]),
      ).rejects.toThrow(/NOPERM/);
      await expect(intruder.readStream("BTC-USD", { count: 1 })).rejects.toThrow(/NOPERM/);
      const cache = new RedisCacheStore({ connection: asBinance, namespace: euNamespace });
      await expect(cache.set("k", "v")).rejects.toThrow(/NOPERM/);
      for (const key of [`${euNamespace}quote:BTC-USD`, `${euNamespace}prices:BTC-USD`]) {
        await expect(asBinance.client.sendCommand(["DEL", key]), key).rejects.toThrow(/NOPERM/);
      }
    });

    it("and it cannot touch binance's keys either", async () => {
      const binanceQuotes = new RedisQuoteStore({
        connection: asBinance,
        namespace: binance.namespace,
      });
      await binanceQuotes.publishQuotes([sampleQuote({ symbol: "ETH-USD" })]);
      const intruder = new RedisQuoteStore({ connection: asEu, namespace: binance.namespace });
      await expect(intruder.latestQuote("ETH-USD")).rejects.toThrow(/NOPERM/);
      await expect(
        intruder.publishQuotes([sampleQuote({ symbol: "ETH-USD", sequence: 666 })]),
      ).rejects.toThrow(/NOPERM/);
    });
  });
});
