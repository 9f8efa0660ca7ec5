import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { deriveRedisNamespace, deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { MarketDataService as LegacyMarketDataService } from "@tse/proto/marketdata/market_data_pb";
import { createRedisConnection, type RedisConnection } from "@tse/redis-kit";
import {
  repoRoot,
  runServiceToExit,
  type SpawnedService,
  spawnService,
  until,
} from "@tse/service-kit/testing";
import {
  aclUserLike,
  bootstrapInstanceRoles,
  describeWithPrivatePostgres,
  describeWithPrivateRedis,
  openTestPool,
  type PrivateServer,
  requirePasswords,
  startPrivatePostgres,
  startPrivateRedis,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("./main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const suffix = randomBytes(3).toString("hex");
const secret = () => `pw-${randomBytes(12).toString("hex")}`;

const simulator = {
  instance: `md-lp-${suffix}`,
  postgresPassword: secret(),
  redisPassword: secret(),
};
const engine = {
  instance: `te-lp-${suffix}`,
  postgresPassword: secret(),
  redisPassword: secret(),
};
const secrets = [
  simulator.postgresPassword,
  simulator.redisPassword,
  engine.postgresPassword,
  engine.redisPassword,
];

/** A Redis connection as the user of `url` (the adapter's client: RESP3, no PING). */
async function redisAs(url: string): Promise<RedisConnection> {
  const connection = createRedisConnection({
    url,
    namespace: "lp:test:",
    onError: () => undefined,
  });
  await connection.connect();
  return connection;
}

/** A `JSON.stringify` replacer for messages with 64-bit fields. */
const bigints = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

/** Fails naming the secret and where it showed, if any secret of this run is in `text`. */
function expectNoSecret(where: string, text: string): void {
  for (const value of secrets)
    expect(text.includes(value), `${where} shows a password`).toBe(false);
}

/**
 * Least privilege (docs/data-model.md#instance-identity, docs/data-model.md#postgres-roles), the
 * way the compose stack deploys: a private Postgres that checks passwords, bootstrapped with
 * docker/postgres/init/01-instances.sql for a simulator and an engine instance (each role owns only
 * its schema), and a private Redis with each instance's user from docker/redis/users.acl (its key
 * families and discovery key; no KEYS, SCAN, RANDOMKEY, PING, CONFIG, FLUSHALL). Both real
 * processes run with those credentials: they serve, write, find each other, never try anything the
 * ACL refuses, and no password ever shows in their logs, start-up errors, /metrics, health or
 * readiness output.
 */
describeWithPrivatePostgres("least privilege and secrets (both services, private servers)", () => {
  describeWithPrivateRedis("as composed", () => {
    let pg: PrivateServer;
    let redis: PrivateServer;
    let admin: postgres.Sql;
    let simulatorProcess: SpawnedService | undefined;
    let engineProcess: SpawnedService | undefined;
    const postgresUrl = (role: string, password: string) =>
      `postgres://${role}:${password}@127.0.0.1:${pg.port}/postgres`;
    const redisUrl = (user: string, password: string) =>
      `redis://${user}:${password}@127.0.0.1:${redis.port}`;
    const simulatorEnv = () => ({
      SERVICE_INSTANCE_NAME: simulator.instance,
      POSTGRES_URL: postgresUrl(deriveSchema(simulator.instance), simulator.postgresPassword),
      REDIS_URL: redisUrl(simulator.instance, simulator.redisPassword),
      HISTORY_BACKFILL_HOURS: "1",
      SIMULATION_SPEED: "30",
      TICK_INTERVAL_MS: "50",
      HEALTH_CHECK_INTERVAL: "2",
      LOG_LEVEL: "debug",
    });

    beforeAll(async () => {
      [pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
      admin = openTestPool(pg.url, 2);
      await requirePasswords(admin);
      await bootstrapInstanceRoles(admin, [
        { schema: deriveSchema(simulator.instance), password: simulator.postgresPassword },
        { schema: deriveSchema(engine.instance), password: engine.postgresPassword },
      ]);
      const root = await redisAs(redis.url);
      for (const acl of [
        aclUserLike(
          "market-data-sim-binance",
          simulator.instance,
          deriveRedisNamespace("market-data-simulator", simulator.instance),
          simulator.redisPassword,
        ),
        aclUserLike(
          "trading-engine-lh",
          engine.instance,
          deriveRedisNamespace("trading-system-engine", engine.instance),
          engine.redisPassword,
        ),
      ]) {
        await root.client.sendCommand(["ACL", "SETUSER", ...acl.setUser]);
      }
      await root.close();

      simulatorProcess = await spawnService(simulatorEntry, simulatorEnv());
      engineProcess = await spawnService(engineEntry, {
        SERVICE_INSTANCE_NAME: engine.instance,
        POSTGRES_URL: postgresUrl(deriveSchema(engine.instance), engine.postgresPassword),
        REDIS_URL: redisUrl(engine.instance, engine.redisPassword),
        MARKET_DATA_INSTANCE: simulator.instance,
        HEALTH_CHECK_INTERVAL: "2",
        LOG_LEVEL: "debug",
        BOOT_STRATEGIES: JSON.stringify([
          {
            strategyId: "mm-lp",
            type: "STRATEGY_TYPE_MARKET_MAKING",
            instruments: ["BTC-USD"],
            marketMaking: { orderQuantity: 0.01, spreadBps: 2, refreshIntervalMs: 300 },
          },
        ]),
      });
    }, 180_000);

    afterAll(async () => {
      await engineProcess?.stop("SIGKILL");
      await simulatorProcess?.stop("SIGKILL");
      await admin?.end({ timeout: 5 });
      await Promise.all([pg?.close(), redis?.close()]);
    });

    it("both serve, write only their own schema and namespace, and find each other", async () => {
      const sim = simulatorProcess as SpawnedService;
      const eng = engineProcess as SpawnedService;
      for (const [service, checks] of [
        [sim, { postgres: "ok", redis: "ok" }],
        [eng, { postgres: "ok", redis: "ok", market_data: "ok" }],
      ] as const) {
        const ready = await until(async () => {
          const response = await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/ready`);
          return response.status === 200 ? ((await response.json()) as object) : undefined;
        }, 60_000);
        expect(ready).toMatchObject({ checks });
      }
      const simSchema = quoteIdentifier(deriveSchema(simulator.instance));
      const engineSchema = quoteIdentifier(deriveSchema(engine.instance));
      await until(async () => {
        const [row] = (await admin.unsafe(
          `select (select count(*) from ${simSchema}.candles)::int as candles,
                  (select count(*) from ${engineSchema}.orders)::int as orders`,
        )) as unknown as [{ candles: number; orders: number }];
        return row.candles > 0 && row.orders > 0 ? true : undefined;
      }, 60_000);
      const owners = await admin<{ nspname: string; owner: string }[]>`
        select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace
        where nspname in (${deriveSchema(simulator.instance)}, ${deriveSchema(engine.instance)})`;
      expect(owners.every((row) => row.owner === row.nspname)).toBe(true);
      const other = await admin<{ relname: string }[]>`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'`;
      expect(other).toEqual([]);
    });

    it("each Postgres role can touch nothing but its own schema", async () => {
      const roles = [
        [
          deriveSchema(simulator.instance),
          simulator.postgresPassword,
          deriveSchema(engine.instance),
        ],
        [deriveSchema(engine.instance), engine.postgresPassword, deriveSchema(simulator.instance)],
      ] as const;
      for (const [role, password, foreign] of roles) {
        const sql = openTestPool(postgresUrl(role, password), 1);
        try {
          const [{ current_user: who }] = (await sql`select current_user`) as unknown as [
            { current_user: string },
          ];
          expect(who).toBe(role);
          for (const statement of [
            `select * from ${quoteIdentifier(foreign)}.${foreign.startsWith("md_") ? "candles" : "orders"}`,
            `create table ${quoteIdentifier(foreign)}.intruder (id int)`,
            "create table public.intruder (id int)",
            "create schema intruder",
            `drop schema ${quoteIdentifier(foreign)} cascade`,
          ]) {
            await expect(sql.unsafe(statement), statement).rejects.toThrow(
              /permission denied|must be owner/,
            );
          }
        } finally {
          await sql.end({ timeout: 5 });
        }
      }
      await expect(
        openTestPool(postgresUrl(deriveSchema(engine.instance), "not-the-password"), 1)`select 1`,
      ).rejects.toThrow(/password authentication failed/);
    });

    it("each Redis user is confined to its keys and refused KEYS, SCAN, RANDOMKEY, PING, CONFIG and FLUSHALL", async () => {
      const root = await redisAs(redis.url);
      try {
        // Nothing the services did was refused by the ACL (every denial is logged).
        const log = (await root.client.sendCommand(["ACL", "LOG"])) as unknown[];
        expect(log).toEqual([]);
        const registry = (await root.client.sendCommand([
          "KEYS",
          "registry:services:*",
        ])) as string[];
        expect(registry.sort()).toEqual([
          `registry:services:market-data-simulator:${simulator.instance}`,
          `registry:services:trading-system-engine:${engine.instance}`,
        ]);
        for (const [user, password, foreign] of [
          [
            simulator.instance,
            simulator.redisPassword,
            `${deriveRedisNamespace("trading-system-engine", engine.instance)}x`,
          ],
          [
            engine.instance,
            engine.redisPassword,
            `${deriveRedisNamespace("market-data-simulator", simulator.instance)}x`,
          ],
        ] as const) {
          const client = await redisAs(redisUrl(user, password));
          try {
            for (const command of [
              ["KEYS", "*"],
              ["SCAN", "0"],
              ["RANDOMKEY"],
              ["PING"],
              ["CONFIG", "GET", "*"],
              ["FLUSHALL"],
              ["GET", foreign],
              ["SET", foreign, "1"],
            ]) {
              await expect(client.client.sendCommand(command), command.join(" ")).rejects.toThrow(
                /NOPERM/,
              );
            }
          } finally {
            await client.close();
          }
        }
      } finally {
        await root.close();
      }
    });

    it("shows no password in logs, errors, /metrics, health or readiness output", async () => {
      const sim = simulatorProcess as SpawnedService;
      const eng = engineProcess as SpawnedService;
      for (const service of [sim, eng]) {
        for (const path of ["/metrics", "/api/v1/metrics", "/api/v1/health", "/api/v1/ready"]) {
          const text = await (await fetch(`http://127.0.0.1:${service.httpPort}${path}`)).text();
          expectNoSecret(path, text);
        }
        const health = await createClient(
          Health,
          createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
        ).check({});
        expectNoSecret("grpc health", JSON.stringify(health, bigints));
      }
      const legacy = await createClient(
        LegacyMarketDataService,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${sim.grpcPort}` }),
      ).healthCheck({});
      expectNoSecret("legacy HealthCheck", JSON.stringify(legacy, bigints));

      // Errors at run time: Postgres goes away and comes back; readiness and logs say so.
      await pg.stop();
      const notReady = await until(async () => {
        const response = await fetch(`http://127.0.0.1:${sim.httpPort}/api/v1/ready`);
        return response.status === 503 ? await response.text() : undefined;
      });
      expect(notReady).toContain("error");
      expectNoSecret("readiness during an outage", notReady);
      await pg.start();
      await until(
        async () =>
          (await fetch(`http://127.0.0.1:${sim.httpPort}/api/v1/ready`)).status === 200
            ? true
            : undefined,
        60_000,
      );
      expectNoSecret("simulator output", sim.output());
      expectNoSecret("engine output", eng.output());
    });

    it("fails to start with a wrong password without showing it or the right one", async () => {
      const wrong = secret();
      secrets.push(wrong);
      const runs = [
        { ...simulatorEnv(), POSTGRES_URL: postgresUrl(deriveSchema(simulator.instance), wrong) },
        { ...simulatorEnv(), REDIS_URL: redisUrl(simulator.instance, wrong) },
      ];
      for (const env of runs) {
        const { code, stdout, stderr } = await runServiceToExit(simulatorEntry, [], env);
        expect(code).not.toBe(0);
        expect(`${stdout}${stderr}`).toMatch(/password|WRONGPASS|authentication/i);
        expectNoSecret("a failed start-up", `${stdout}${stderr}`);
      }
    });
  });
});
