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
 * The trading-engine service: its identity defaults (DESIGN §3), its ports (DESIGN §4) and its
 * composition. It runs fully in memory, so its Postgres and Redis readiness checks are disabled.
 */
export const serviceDefinition: ServiceDefinition<typeof settings> = {
  serviceName: "trading-system-engine",
  version: packageJson.version,
  summary: "trading strategies against the simulator's live feed",
  ports: { http: 8083, grpc: 50053 },
  settings,
  compose: () => ({
    readiness: { postgres: "disabled", redis: "disabled" },
  }),
};
