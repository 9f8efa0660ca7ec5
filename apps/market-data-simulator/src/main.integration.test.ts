import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeServiceProcess } from "@tse/service-kit/testing";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

describeServiceProcess({
  entry: fileURLToPath(new URL("./main.ts", import.meta.url)),
  serviceName: "market-data-simulator",
  version,
  defaultPorts: { http: 8080, grpc: 50051 },
  defaultNamespace: "market:data:",
  invalidSettings: [
    [{ SYMBOLS: "BTC-USD,bitcoin" }, "SYMBOLS"],
    [{ SIMULATOR_CONFIG: "/nonexistent/simulator.yaml" }, "SIMULATOR_CONFIG"],
    [{ TICK_INTERVAL_MS: "0" }, "TICK_INTERVAL_MS"],
    [{ PRICE_FEED_RETENTION_HOURS: "-1" }, "PRICE_FEED_RETENTION_HOURS"],
    [{ POSTGRES_URL: "mysql://localhost/x" }, "POSTGRES_URL"],
  ],
});
