import { fileURLToPath } from "node:url";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { MarketDataService as LegacyMarketDataService } from "@tse/proto/marketdata/market_data_pb";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import {
  describeRpcFuzz,
  fuzzTransportsOf,
  type SpawnedService,
  spawnService,
} from "@tse/service-kit/testing";
import {
  describeWithPostgresAndRedis,
  dropInstanceSchema,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from "@tse/testing";
import { afterAll, beforeAll } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const instance = `md-fuzz-${process.pid.toString(36)}`;

/**
 * Property-based fuzzing of every RPC of the simulator (marketdata.v1, the legacy
 * marketdata.MarketDataService and grpc.health.v1) against the real process with Postgres and
 * Redis: every request field missing or hostile (NaN, ±Infinity, extremes, unicode, SQL, unknown
 * enum values, invalid Timestamps, oversized repeated fields), over gRPC, Connect binary,
 * Connect JSON and gRPC-Web. Every answer is OK or a client-error code, and it keeps serving.
 */
describeWithPostgresAndRedis("market-data-simulator RPC fuzzing (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: TEST_POSTGRES_URL,
      REDIS_URL: TEST_REDIS_URL,
      HISTORY_BACKFILL_HOURS: "1",
      MAX_SUBSCRIBERS: "200",
    });
  }, 120_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
    await dropInstanceSchema(instance);
  });

  describeRpcFuzz("every method", {
    services: [MarketDataService, LegacyMarketDataService, Health],
    numRuns: 60,
    hints: {
      strings: ["BTC-USD", "ETH-USD", "SOL-USD"],
      stringsByField: { service: ["", "market-data-simulator", MarketDataService.typeName] },
    },
    target: () => ({
      transports: fuzzTransportsOf(service),
      stillServing: async () =>
        (await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/health`)).ok,
    }),
  });
});
