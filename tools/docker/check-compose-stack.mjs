// Proves the compose stack's pieces without a Docker engine, on this machine's servers:
// 1. docker/docker-compose.yml parses (`docker-compose config`, Debian's package).
// 2. The Postgres bootstrap runs twice cleanly in a scratch database of a private cluster
//    (initdb, so its roles and its cluster-wide REVOKEs never touch a shared server), and each role owns its
//    schema and nothing else (it cannot create in `public`, create schemas, create temporary
//    tables, touch another instance's schema, or connect to the `postgres` database). The
//    bootstrap revokes CONNECT and TEMPORARY from PUBLIC on `postgres` and `template1` of the
//    server it runs on (superusers are not affected): TEST_POSTGRES_URL points it at a server of
//    your choosing instead of the private cluster.
// 3. docker/redis/users.acl loads in a private redis-server: the default user is off, and each
//    user is refused PING, KEYS, SCAN, RANDOMKEY, CONFIG, FLUSHALL and keys outside its own; an
//    instance added as the README says (market-data-sim-binance-eu, whose namespace extends
//    binance's) and binance cannot read each other's keys.
// 4. The built services run as the compose file runs them — simulator `market-data-sim-binance`
//    and engine `trading-engine-lh`, each with its own role and ACL user — and do their work: the
//    simulator publishes quotes and registers, the engine discovers it, becomes ready and trades
//    its boot strategy, each writing its own schema. Both read their bearer tokens from
//    docker/secrets/auth-tokens (AUTH_TOKENS_FILE, as the compose secret mounts it): a write
//    without the token is refused (401), with it accepted; reads stay open.
// Usage (repository root, apps built):
//   node --conditions=@tse/source --import tsx tools/docker/check-compose-stack.mjs
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import postgres from "postgres";
import { createClient } from "redis";

const privatePostgres =
  process.env.TEST_POSTGRES_URL === undefined
    ? await import("@tse/testing").then((testing) => testing.startPrivatePostgres())
    : undefined;
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? privatePostgres.url;
const database = `tse_compose_check_${process.pid}`;
const failures = [];
const check = (ok, message) => {
  console.log(`${ok ? "ok" : "FAILED"}: ${message}`);
  if (!ok) failures.push(message);
};
const freePort = () =>
  new Promise((done) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
const until = async (probe, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
};
const refused = async (promise) => {
  try {
    await promise;
    return false;
  } catch (error) {
    return /NOPERM|NOAUTH|WRONGPASS|permission denied|must be owner/i.test(
      String(error?.message ?? error),
    );
  }
};

// 1. The compose file parses.
try {
  execFileSync("docker-compose", ["-f", "docker/docker-compose.yml", "config", "--quiet"], {
    stdio: "inherit",
  });
  check(true, "docker-compose config parses docker/docker-compose.yml");
} catch (error) {
  check(false, `docker-compose config: ${error.message}`);
}

// 2. Postgres bootstrap, twice, and least privilege.
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${database}`);
const dbUrl = (user) => {
  const url = new URL(ADMIN_URL);
  url.username = user;
  url.pathname = `/${database}`;
  return url.toString();
};
for (const run of [1, 2]) {
  try {
    execFileSync(
      "psql",
      [
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
        "-f",
        "docker/postgres/init/01-instances.sql",
        dbUrl("postgres"),
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    check(true, `bootstrap SQL run ${run} succeeded`);
  } catch (error) {
    check(false, `bootstrap SQL run ${run}: ${error.message}`);
  }
}
const binanceSql = postgres(dbUrl("market_data_sim_binance"), { max: 1, onnotice: () => {} });
await binanceSql.unsafe("create table if not exists market_data_sim_binance.probe (x int)");
check(true, "market_data_sim_binance creates tables in its own schema");
check(
  await refused(binanceSql.unsafe("create table public.probe (x int)")),
  "market_data_sim_binance cannot create in public",
);
check(
  await refused(binanceSql.unsafe("create schema intruder")),
  "market_data_sim_binance cannot create schemas",
);
check(
  await refused(binanceSql.unsafe("create table trading_engine_lh.probe (x int)")),
  "market_data_sim_binance cannot touch trading_engine_lh",
);
check(
  await refused(binanceSql.unsafe("create temporary table probe (x int)")),
  "market_data_sim_binance cannot create temporary tables",
);
await binanceSql.unsafe("drop table market_data_sim_binance.probe");
await binanceSql.end();
const maintenance = new URL(dbUrl("market_data_sim_binance"));
maintenance.pathname = "/postgres";
const intruder = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
check(
  await refused(intruder.unsafe("select 1")),
  "market_data_sim_binance cannot connect to the postgres database",
);
await intruder.end();

// 3. Redis ACL in a private server.
const redisPort = await freePort();
const redisServer = spawn(
  "redis-server",
  [
    "--port",
    String(redisPort),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--aclfile",
    resolve("docker/redis/users.acl"),
  ],
  { stdio: "ignore" },
);
/** Runs redis-cli against the private server, as `user` when given ({ user, password }). */
const redisCli = (args, as) =>
  execFileSync(
    "redis-cli",
    [
      "-p",
      String(redisPort),
      ...(as === undefined ? [] : ["--user", as.user, "--pass", as.password, "--no-auth-warning"]),
      ...args,
    ],
    { encoding: "utf8" },
  );
const ADMIN = { user: "admin", password: "admin-dev" };
const redisUrl = (user, password) => `redis://${user}:${password}@127.0.0.1:${redisPort}`;
const connectAs = async (url) => {
  const client = createClient({ url, disableClientInfo: true });
  client.on("error", () => {});
  await client.connect();
  return client;
};
const users = {
  "market-data-sim-binance": {
    namespace: "market:data:sim:binance:",
    registry: "registry:services:market-data-simulator:market-data-sim-binance",
  },
  "market-data-sim-coinbase": {
    namespace: "market:data:sim:coinbase:",
    registry: "registry:services:market-data-simulator:market-data-sim-coinbase",
  },
  "trading-engine-lh": {
    namespace: "trading:engine:lh:",
    registry: "registry:services:trading-system-engine:trading-engine-lh",
  },
};
await until(async () => redisCli(["ping"], ADMIN).includes("PONG"), 5_000);
const anonymous = redisCli(["GET", "market:data:sim:binance:x"]);
check(/NOAUTH|NOPERM|WRONGPASS/.test(anonymous), `the default user is off (${anonymous.trim()})`);
for (const [user, { namespace, registry }] of Object.entries(users)) {
  const client = await connectAs(redisUrl(user, `${user}-dev`));
  await client.set(`${namespace}quote:PROBE-USD`, "1");
  await client.set(registry, "{}", { PX: 1_000 });
  check(
    (await client.get(`${namespace}quote:PROBE-USD`)) === "1",
    `${user} reads and writes its namespace and discovery key`,
  );
  for (const command of [
    ["PING"],
    ["KEYS", "*"],
    ["SCAN", "0"],
    ["RANDOMKEY"],
    ["CONFIG", "GET", "maxmemory"],
    ["FLUSHALL"],
  ]) {
    check(await refused(client.sendCommand(command)), `${user} is refused ${command[0]}`);
  }
  const foreign =
    user === "trading-engine-lh" ? "market:data:sim:binance:quote:BTC-USD" : "trading:engine:lh:x";
  check(await refused(client.get(foreign)), `${user} is refused ${foreign}`);
  await client.del(`${namespace}quote:PROBE-USD`);
  await client.disconnect();
}
// An instance added as the README describes: binance's line with its names replaced.
const binanceLine = readFileSync("docker/redis/users.acl", "utf8")
  .split("\n")
  .find((line) => line.startsWith("user market-data-sim-binance "));
const euRules = binanceLine
  .split(" ")
  .slice(2)
  .map((rule) =>
    rule.startsWith(">")
      ? ">binance-eu-check"
      : rule
          .replace("~market:data:sim:binance:", "~market:data:sim:binance:eu:")
          .replace("market-data-sim-binance", "market-data-sim-binance-eu"),
  );
redisCli(["ACL", "SETUSER", "market-data-sim-binance-eu", ...euRules], ADMIN);
const eu = await connectAs(redisUrl("market-data-sim-binance-eu", "binance-eu-check"));
const binance = await connectAs(redisUrl("market-data-sim-binance", "market-data-sim-binance-dev"));
await eu.set("market:data:sim:binance:eu:quote:BTC-USD", "eu");
check(
  await refused(binance.get("market:data:sim:binance:eu:quote:BTC-USD")),
  "market-data-sim-binance cannot read market-data-sim-binance-eu's quotes",
);
check(
  await refused(binance.set("market:data:sim:binance:eu:quote:BTC-USD", "x")),
  "market-data-sim-binance cannot overwrite market-data-sim-binance-eu's quotes",
);
check(
  await refused(eu.get("market:data:sim:binance:quote:BTC-USD")),
  "market-data-sim-binance-eu cannot read market-data-sim-binance's quotes",
);
await eu.disconnect();
await binance.disconnect();

// 4. The services as compose runs them.
const AUTH_TOKENS_FILE = resolve("docker/secrets/auth-tokens");
const composeToken = readFileSync(AUTH_TOKENS_FILE, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .find((line) => line !== "" && !line.startsWith("#"));
const start = async (app, env) => {
  const http = await freePort();
  const grpc = await freePort();
  const child = spawn(process.execPath, [`apps/${app}/dist/main.js`], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      HTTP_PORT: String(http),
      GRPC_PORT: String(grpc),
      LOG_LEVEL: "warn",
      AUTH_TOKENS_FILE,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { child, http, output: () => output };
};
const readyChecks = async (service) =>
  until(async () => {
    const response = await fetch(`http://127.0.0.1:${service.http}/api/v1/ready`);
    return response.status === 200 ? (await response.json()).checks : undefined;
  }, 40_000);
const simulator = await start("market-data-simulator", {
  SERVICE_INSTANCE_NAME: "market-data-sim-binance",
  POSTGRES_URL: dbUrl("market_data_sim_binance"),
  REDIS_URL: redisUrl("market-data-sim-binance", "market-data-sim-binance-dev"),
  SYMBOLS: "BTC-USD,ETH-USD,SOL-USD,BNB-USD",
  SIMULATION_SEED: "101",
  HISTORY_BACKFILL_HOURS: "1",
  SIMULATION_SPEED: "60",
  HEALTH_CHECK_INTERVAL: "2",
});
const simulatorChecks = await readyChecks(simulator);
check(
  simulatorChecks?.postgres === "ok" && simulatorChecks?.redis === "ok",
  `simulator ready on its role and ACL user (${JSON.stringify(simulatorChecks)})`,
);
const engine = await start("trading-engine", {
  SERVICE_INSTANCE_NAME: "trading-engine-lh",
  POSTGRES_URL: dbUrl("trading_engine_lh"),
  REDIS_URL: redisUrl("trading-engine-lh", "trading-engine-lh-dev"),
  MARKET_DATA_INSTANCE: "market-data-sim-binance",
  BOOT_STRATEGIES: JSON.stringify([
    {
      strategyId: "mm-btc",
      type: "STRATEGY_TYPE_MARKET_MAKING",
      instruments: ["BTC-USD"],
      marketMaking: { orderQuantity: 0.01, spreadBps: 2 },
    },
  ]),
  HEALTH_CHECK_INTERVAL: "2",
});
const engineChecks = await readyChecks(engine);
check(
  engineChecks?.postgres === "ok" &&
    engineChecks?.redis === "ok" &&
    engineChecks?.market_data === "ok",
  `engine discovered the simulator and is ready on its role and ACL user (${JSON.stringify(engineChecks)})`,
);
const orders = await until(async () => {
  const body = await (await fetch(`http://127.0.0.1:${engine.http}/api/v1/orders?limit=5`)).json();
  return body.orders.length > 0 ? body.orders : undefined;
});
check(orders !== undefined, "the engine's boot strategy trades the simulator's feed");
const setRiskLimits = (headers) =>
  fetch(`http://127.0.0.1:${engine.http}/trading.v1.RiskService/SetRiskLimits`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1", ...headers },
    body: "{}",
  }).then((response) => response.status);
const scenarioWithoutToken = await fetch(
  `http://127.0.0.1:${simulator.http}/marketdata.v1.MarketDataService/StartScenario`,
  {
    method: "POST",
    headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
    body: '{"type":"SCENARIO_TYPE_CRASH"}',
  },
).then((response) => response.status);
const withoutToken = await setRiskLimits({});
const withToken = await setRiskLimits({ Authorization: `Bearer ${composeToken}` });
check(
  composeToken !== undefined &&
    withoutToken === 401 &&
    scenarioWithoutToken === 401 &&
    withToken === 200,
  `writes need the token of docker/secrets/auth-tokens (engine ${withoutToken} without, ${withToken} with; simulator ${scenarioWithoutToken} without)`,
);
const scratch = postgres(dbUrl("postgres"), { max: 1, onnotice: () => {} });
const [tables] = await scratch.unsafe(`
  select (select count(*) from pg_tables where schemaname = 'market_data_sim_binance' and tableowner = 'market_data_sim_binance')::int as simulator,
         (select count(*) from pg_tables where schemaname = 'trading_engine_lh' and tableowner = 'trading_engine_lh')::int as engine,
         (select count(*) from pg_tables where schemaname = 'public')::int as public`);
check(
  tables.simulator >= 4 && tables.engine >= 4 && tables.public === 0,
  `each service migrated its own schema as its own role (${JSON.stringify(tables)})`,
);
for (const [name, service] of [
  ["engine", engine],
  ["simulator", simulator],
]) {
  const exited = new Promise((r) => service.child.once("exit", r));
  service.child.kill("SIGTERM");
  const code = await exited;
  check(code === 0, `${name} exits 0 on SIGTERM`);
  if (code !== 0 || failures.length > 0) console.log(service.output());
}

redisServer.kill("SIGTERM");
await admin.unsafe(`drop database ${database} with (force)`);
await admin.end();
await privatePostgres?.close();
console.log(
  failures.length === 0
    ? "compose stack checks passed"
    : `${failures.length} compose stack checks failed`,
);
process.exit(failures.length === 0 ? 0 : 1);
