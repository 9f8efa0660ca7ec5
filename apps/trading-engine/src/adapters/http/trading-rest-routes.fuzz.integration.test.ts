import { fileURLToPath } from "node:url";
import { describeRestFuzz, type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { describeWithPostgres, dropInstanceSchema, TEST_POSTGRES_URL } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const instance = `te-rest-fuzz-${process.pid.toString(36)}`;

/**
 * Property-based fuzzing of every REST route and query parameter of the trading engine
 * (docs/protocols.md#common-http-endpoints, docs/protocols.md#trading-rest-reads) against the real
 * process with its orders in Postgres: hostile values never get a 5xx, the engine's refusals are
 * JSON errors, and it keeps serving. No simulator runs: the reads do not need one.
 */
describeWithPostgres("trading-engine REST fuzzing (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: TEST_POSTGRES_URL,
      MARKET_DATA_URL: "http://127.0.0.1:9",
    });
  }, 120_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
    await dropInstanceSchema(instance);
  });

  describeRestFuzz("every route", {
    port: () => service.httpPort,
    numRuns: 80,
    routes: [
      { path: "/api/v1/health" },
      { path: "/api/v1/ready", alsoAllowed: [503] },
      { path: "/metrics" },
      { path: "/api/v1/strategies" },
      { path: "/api/v1/strategies/:id", pathValues: { id: ["mm-1", "x"] } },
      {
        path: "/api/v1/positions",
        query: { strategy_id: ["mm-1"], include_flat: ["true", "false"] },
      },
      {
        path: "/api/v1/orders",
        query: {
          status: ["open", "filled", "cancelled,rejected", "pending"],
          limit: ["1", "100", "1000"],
          strategy_id: ["mm-1", "strategy_2"],
        },
      },
      { path: "/api/v1/portfolio" },
      { path: "/api/v1/risk" },
    ],
  });
});
