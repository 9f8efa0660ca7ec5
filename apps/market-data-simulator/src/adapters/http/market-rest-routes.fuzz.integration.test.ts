import { fileURLToPath } from "node:url";
import { describeRestFuzz, type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { describeWithPostgres, dropInstanceSchema, TEST_POSTGRES_URL } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const instance = `md-rest-fuzz-${process.pid.toString(36)}`;
const assets = ["BTC", "BTC-USD", "ETH", "SOL-USD"];

/**
 * Property-based fuzzing of every REST route and query parameter of the simulator
 * (docs/protocols.md#common-http-endpoints, docs/protocols.md#market-data-rest-and-sse) against the
 * real process with Postgres behind `history`: hostile values never get a 5xx, the service's
 * refusals are JSON errors, and it keeps serving.
 */
describeWithPostgres("market-data-simulator REST fuzzing (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: TEST_POSTGRES_URL,
      HISTORY_BACKFILL_HOURS: "1",
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
      { path: "/api/v1/symbols" },
      { path: "/api/v1/market/prices" },
      { path: "/api/v1/market/price/:asset", pathValues: { asset: assets } },
      {
        path: "/api/v1/market/history/:asset",
        pathValues: { asset: assets },
        query: {
          interval: ["1m", "5m", "15m", "1h", "4h", "1d"],
          limit: ["1", "100", "5000"],
          start: ["0", String(Date.now() - 3_600_000)],
          end: [String(Date.now()), "999999999999999"],
        },
      },
      {
        path: "/api/v1/market/orderbook/:asset",
        pathValues: { asset: assets },
        query: { depth: ["1", "20", "100"] },
      },
      {
        path: "/api/v1/market/trades/:asset",
        pathValues: { asset: assets },
        query: { limit: ["1", "100", "1000"] },
      },
      {
        path: "/api/v1/stream/prices",
        query: { symbols: ["BTC", "BTC,ETH-USD", "SOL-USD"] },
        stream: true,
      },
    ],
  });
});
