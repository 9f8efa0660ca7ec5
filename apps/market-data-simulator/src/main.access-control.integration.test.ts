import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService as LegacyMarketDataService } from "@tse/proto/marketdata/market_data_pb";
import { MarketDataService, ScenarioType } from "@tse/proto/marketdata/v1/market_data_pb";
import {
  ACCESS_CONTROL_ENV,
  ACCESS_TEST_TOKENS,
  describeAccessControl,
  guardedWrite,
  type SpawnedService,
  spawnService,
} from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

describe("market-data-simulator with AUTH_TOKENS (real process)", () => {
  let service: SpawnedService;
  const client = () =>
    createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
    );
  const scenarios = async () => (await client().listScenarios({ includeEnded: true })).scenarios;

  beforeAll(async () => {
    service = await spawnService(entry, { ...ACCESS_CONTROL_ENV, HISTORY_BACKFILL_HOURS: "0" });
  }, 60_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  describeAccessControl("StartScenario and StopScenario", {
    target: () => service,
    services: [MarketDataService, LegacyMarketDataService],
    writes: [
      guardedWrite(MarketDataService.method.startScenario, {
        type: ScenarioType.CRASH,
        symbols: ["BTC-USD"],
        parameters: { intensity: 1, durationSeconds: 600, recoveryFactor: 0.5 },
      }),
      guardedWrite(
        MarketDataService.method.stopScenario,
        { scenarioId: "scenario-1" },
        async () => ({ scenarioId: (await scenarios())[0]?.id ?? "" }),
      ),
    ],
    state: scenarios,
    restPath: "/api/v1/symbols",
  });

  it("logs at start-up that writes need one of 2 tokens", () => {
    const line = service
      .output()
      .split("\n")
      .find((l) => l.includes("listening on http"));
    expect(JSON.parse(line ?? "{}").access).toEqual({ tokenCount: 2, protectReads: false });
    expect(service.output()).not.toContain(ACCESS_TEST_TOKENS[0]);
  });
});
