import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeServiceProcess, HOSTILE_IDENTITY_SETTINGS } from "@tse/service-kit/testing";
import { refusalStores, TEST_SERVERS_UP } from "@tse/testing";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

describeServiceProcess({
  entry: fileURLToPath(new URL("./main.ts", import.meta.url)),
  serviceName: "trading-system-engine",
  version,
  defaultPorts: { http: 8083, grpc: 50053 },
  defaultNamespace: "trading:engine:",
  peerChecks: ["market_data"],
  // Hostile identities (the simulator's suite runs the other common settings) and an invalid
  // value of every setting of settings.ts.
  invalidSettings: [
    ...HOSTILE_IDENTITY_SETTINGS,
    [{ POSTGRES_URL: "mysql://localhost/x" }, "POSTGRES_URL"],
    [{ MAX_CONNECTIONS: "201" }, "MAX_CONNECTIONS"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ DEPENDENCY_CHECK_TIMEOUT_MS: "50" }, "DEPENDENCY_CHECK_TIMEOUT_MS"],
    [{ MARKET_DATA_URL: "ftp://simulator" }, "MARKET_DATA_URL"],
    [{ MARKET_DATA_INSTANCE: "Sim 1" }, "MARKET_DATA_INSTANCE"],
    [{ MARKET_DATA_AUTH_TOKEN: "not a token" }, "MARKET_DATA_AUTH_TOKEN"],
    [{ MARKET_DATA_STALE_MS: "50" }, "MARKET_DATA_STALE_MS"],
    [{ INITIAL_CAPITAL: "0" }, "INITIAL_CAPITAL"],
    [{ MAX_POSITION_SIZE: "-1" }, "MAX_POSITION_SIZE"],
    [{ RISK_LIMIT_THRESHOLD: "Infinity" }, "RISK_LIMIT_THRESHOLD"],
    [{ MAX_GROSS_LEVERAGE: "1001" }, "MAX_GROSS_LEVERAGE"],
    [{ MAX_ORDERS_PER_SECOND: "1.5" }, "MAX_ORDERS_PER_SECOND"],
    [{ MAX_DRAWDOWN: "2" }, "MAX_DRAWDOWN"],
    [{ ORDER_TIMEOUT_SECONDS: "0" }, "ORDER_TIMEOUT_SECONDS"],
    [{ STRATEGY_COOLDOWN_SECONDS: "-1" }, "STRATEGY_COOLDOWN_SECONDS"],
    [{ TAKER_FEE_BPS: "2000" }, "TAKER_FEE_BPS"],
    [{ MAKER_FEE_BPS: "-0.5" }, "MAKER_FEE_BPS"],
    [{ SLIPPAGE_BPS: "five" }, "SLIPPAGE_BPS"],
    [{ BOOT_STRATEGIES: "[{" }, "BOOT_STRATEGIES"],
    [
      {
        BOOT_STRATEGIES:
          '[{"strategyId":"mm","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["BTC-USD"],"marketMaking":{"orderQuantity":-1}}]',
      },
      "BOOT_STRATEGIES",
    ],
    [{ MAX_STREAMS: "0" }, "MAX_STREAMS"],
    [{ HEALTH_CHECK_INTERVAL: "3601" }, "HEALTH_CHECK_INTERVAL"],
  ],
  ...(TEST_SERVERS_UP.postgres && TEST_SERVERS_UP.redis
    ? {
        refusalStores: refusalStores(
          "trading-system-engine",
          HOSTILE_IDENTITY_SETTINGS.map(([env]) => env),
        ),
      }
    : {}),
});
