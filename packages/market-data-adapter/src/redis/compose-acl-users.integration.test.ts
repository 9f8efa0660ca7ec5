import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { scanPattern } from "@tse/instance-naming";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCacheStoreContract } from "../contract/cache-store.contract.js";
import { describeQuoteStoreContract } from "../contract/quote-store.contract.js";
import { deleteKeysMatching } from "./delete-keys-matching.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import { createRedisConnection, type RedisConnection } from "./redis-connection.js";
import { RedisQuoteStore } from "./redis-quote-store.js";
import { RedisServiceRegistry } from "./redis-service-registry.js";

/**
 * The compose stack's Redis ACL (`docker/redis/users.acl`) against the adapter: a private
 * redis-server loads the file, and the cache and quote contract suites run as each instance's
 * user in its namespace, plus a discovery round trip on its own registry key — so the file
 * grants each service exactly what the adapter needs. Never touches the machine's shared Redis.
 */
const aclFile = fileURLToPath(new URL("../../../../docker/redis/users.acl", import.meta.url));
const users = readFileSync(aclFile, "utf8")
  .split("\n")
  .map((line) => /^user (\S+) on >(\S+) .*~(\S+:)\* ~registry:services:(\S+):(\S+?) /.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map(([, user, password, namespace, service, instance]) => ({
    user: user as string,
    password: password as string,
    namespace: namespace as string,
    service: service as string,
    instance: instance as string,
  }));
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
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(() => {
    server?.kill("SIGTERM");
  });

  it("defines a user per compose instance", () => {
    expect(users.map((u) => u.user).sort()).toEqual([
      "market-data-sim-binance",
      "market-data-sim-coinbase",
      "trading-engine-lh",
    ]);
  });

  for (const acl of users) {
    describe(`as ${acl.user}`, () => {
      let connection: RedisConnection;
      let test = 0;
      beforeAll(async () => {
        connection = createRedisConnection({
          url: `redis://${acl.user}:${acl.password}@127.0.0.1:${port}`,
          namespace: acl.namespace,
          onError: () => undefined,
        });
        await connection.connect();
      });
      afterAll(async () => {
        await deleteKeysMatching(connection, scanPattern(acl.namespace));
        await connection.close();
      });
      const subNamespace = () => {
        test += 1;
        return `${acl.namespace}acl${test}:`;
      };

      describeCacheStoreContract(`redis as ${acl.user}`, async () => {
        const ns = subNamespace();
        return {
          store: new RedisCacheStore({ connection, namespace: ns }),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          cleanup: () => deleteKeysMatching(connection, scanPattern(ns)).then(() => undefined),
        };
      });

      describeQuoteStoreContract(`redis as ${acl.user}`, async ({ maxLength }) => {
        const ns = subNamespace();
        return {
          store: new RedisQuoteStore({ connection, namespace: ns, maxLength }),
          cleanup: () => deleteKeysMatching(connection, scanPattern(ns)).then(() => undefined),
        };
      });

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
    });
  }
});
