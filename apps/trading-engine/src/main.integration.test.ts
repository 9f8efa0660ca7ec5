import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeServiceProcess } from "@tse/service-kit/testing";

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
  invalidSettings: [
    [{ MAX_DRAWDOWN: "2" }, "MAX_DRAWDOWN"],
    [{ ORDER_TIMEOUT_SECONDS: "0" }, "ORDER_TIMEOUT_SECONDS"],
    [{ MARKET_DATA_URL: "ftp://simulator" }, "MARKET_DATA_URL"],
    [{ BOOT_STRATEGIES: "[{" }, "BOOT_STRATEGIES"],
    [
      {
        BOOT_STRATEGIES:
          '[{"strategyId":"mm","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["BTC-USD"],"marketMaking":{"orderQuantity":-1}}]',
      },
      "BOOT_STRATEGIES",
    ],
  ],
});
