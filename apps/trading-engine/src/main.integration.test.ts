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
});
