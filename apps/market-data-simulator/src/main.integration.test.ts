import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  COMMON_INVALID_SETTINGS,
  describeServiceProcess,
  HOSTILE_IDENTITY_SETTINGS,
} from "@tse/service-kit/testing";
import { refusalStores, TEST_SERVERS_UP } from "@tse/testing";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

describeServiceProcess({
  entry: fileURLToPath(new URL("./main.ts", import.meta.url)),
  serviceName: "market-data-simulator",
  version,
  defaultPorts: { http: 8080, grpc: 50051 },
  defaultNamespace: "market:data:",
  // An invalid value of every common setting (the engine's suite runs the hostile identities)
  // and of every setting of settings.ts.
  invalidSettings: [
    ...COMMON_INVALID_SETTINGS,
    [{ POSTGRES_URL: "mysql://localhost/x" }, "POSTGRES_URL"],
    [{ REDIS_URL: "http://localhost:6379" }, "REDIS_URL"],
    [{ MAX_CONNECTIONS: "0" }, "MAX_CONNECTIONS"],
    [{ REDIS_COMMAND_TIMEOUT_MS: "10" }, "REDIS_COMMAND_TIMEOUT_MS"],
    [{ DEPENDENCY_CHECK_TIMEOUT_MS: "50" }, "DEPENDENCY_CHECK_TIMEOUT_MS"],
    [{ SYMBOLS: "BTC-USD,bitcoin" }, "SYMBOLS"],
    [{ SYMBOLS: " , " }, "SYMBOLS"],
    [{ SIMULATOR_CONFIG: "/nonexistent/simulator.yaml" }, "SIMULATOR_CONFIG"],
    [{ SIMULATION_SEED: "1.5" }, "SIMULATION_SEED"],
    [{ TICK_INTERVAL_MS: "0" }, "TICK_INTERVAL_MS"],
    [{ SIMULATION_SPEED: "NaN" }, "SIMULATION_SPEED"],
    [{ SIMULATION_SPEED: "10000", TICK_INTERVAL_MS: "1000" }, "SIMULATION_SPEED"],
    [{ HISTORY_BACKFILL_HOURS: "100000" }, "HISTORY_BACKFILL_HOURS"],
    [{ PRICE_FEED_PERSIST_INTERVAL_MS: "10" }, "PRICE_FEED_PERSIST_INTERVAL_MS"],
    [{ PRICE_FEED_RETENTION_HOURS: "-1" }, "PRICE_FEED_RETENTION_HOURS"],
    [{ SNAPSHOT_INTERVAL_MS: "5" }, "SNAPSHOT_INTERVAL_MS"],
    [{ MAX_SUBSCRIBERS: "0" }, "MAX_SUBSCRIBERS"],
    [{ MAX_SYMBOLS_PER_STREAM: "1e3" }, "MAX_SYMBOLS_PER_STREAM"],
    [{ MAX_SIMULATION_POINTS: "2" }, "MAX_SIMULATION_POINTS"],
    [{ MAX_ACTIVE_SCENARIOS: "0" }, "MAX_ACTIVE_SCENARIOS"],
    [{ HEALTH_CHECK_INTERVAL: "0" }, "HEALTH_CHECK_INTERVAL"],
  ],
  ...(TEST_SERVERS_UP.postgres && TEST_SERVERS_UP.redis
    ? {
        refusalStores: refusalStores(
          "market-data-simulator",
          HOSTILE_IDENTITY_SETTINGS.map(([env]) => env),
        ),
      }
    : {}),
});
