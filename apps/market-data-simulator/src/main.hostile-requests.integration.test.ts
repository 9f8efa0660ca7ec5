import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { GetQuoteRequestSchema, MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import {
  describeHostileRequests,
  HOSTILE_REQUESTS_ENV,
  type SpawnedService,
  spawnService,
} from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

describe("market-data-simulator under hostile requests (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, { ...HOSTILE_REQUESTS_ENV, HISTORY_BACKFILL_HOURS: "0" });
  }, 60_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  describeHostileRequests("every protocol", {
    target: () => service,
    restPath: "/api/v1/market/prices",
    unary: {
      method: MarketDataService.method.getQuote,
      valid: create(GetQuoteRequestSchema, { symbol: "BTC-USD" }),
      quoting: (text) => create(GetQuoteRequestSchema, { symbol: text }),
    },
  });
});
