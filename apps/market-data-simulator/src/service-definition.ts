import { readFileSync } from "node:fs";
import type { ServiceDefinition } from "@tse/service-kit";

const packageJson = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/** The service-specific settings (none yet: the kit's common settings cover identity and ports). */
const settings = {} as const;

/**
 * The market-data-simulator service: its identity defaults (DESIGN §3), its ports (DESIGN §4) and its
 * composition. It runs fully in memory, so its Postgres and Redis readiness checks are disabled.
 */
export const serviceDefinition: ServiceDefinition<typeof settings> = {
  serviceName: "market-data-simulator",
  version: packageJson.version,
  summary: "realistic, reproducible synthetic market data",
  ports: { http: 8080, grpc: 50051 },
  settings,
  compose: () => ({
    readiness: { postgres: "disabled", redis: "disabled" },
  }),
};
