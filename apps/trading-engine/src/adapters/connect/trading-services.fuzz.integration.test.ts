import { fileURLToPath } from "node:url";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { StrategyType, TradingService } from "@tse/proto/trading/v1/trading_pb";
import {
  CLIENT_ERROR_CODES,
  describeRpcFuzz,
  fuzzTransportsOf,
  repoRoot,
  type SpawnedService,
  spawnService,
} from "@tse/service-kit/testing";
import { describeWithPostgres, dropInstanceSchema, TEST_POSTGRES_URL } from "@tse/testing";
import { afterAll, beforeAll } from "vitest";

const engineEntry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const instance = `te-fuzz-${process.pid.toString(36)}`;

/**
 * Property-based fuzzing of every RPC of the trading engine (trading.v1 TradingService and
 * RiskService, grpc.health.v1) against the real process trading a real simulator, with its
 * state in Postgres: every request field missing or hostile, over gRPC, Connect binary, Connect
 * JSON and gRPC-Web. Every answer is OK or a client-error code (Unavailable too: an instrument
 * the simulator cannot confirm), and it keeps serving.
 */
describeWithPostgres("trading-engine RPC fuzzing (real processes)", () => {
  let simulator: SpawnedService;
  let engine: SpawnedService;
  beforeAll(async () => {
    simulator = await spawnService(simulatorEntry, { HISTORY_BACKFILL_HOURS: "0" });
    engine = await spawnService(engineEntry, {
      SERVICE_INSTANCE_NAME: instance,
      POSTGRES_URL: TEST_POSTGRES_URL,
      MARKET_DATA_URL: `http://127.0.0.1:${simulator.grpcPort}`,
      STRATEGY_COOLDOWN_SECONDS: "0",
    });
    // A strategy the fuzzed ids can hit, so lifecycle calls get past NotFound.
    await createClient(
      TradingService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${engine.grpcPort}` }),
    ).startStrategy({
      strategyId: "mm-fuzz",
      type: StrategyType.MARKET_MAKING,
      instruments: ["BTC-USD"],
      parameters: { case: "marketMaking", value: { orderQuantity: 0.01 } },
    });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop("SIGKILL");
    await simulator?.stop("SIGKILL");
    await dropInstanceSchema(instance);
  });

  describeRpcFuzz("every method", {
    services: [TradingService, RiskService, Health],
    numRuns: 60,
    hints: {
      strings: ["BTC-USD", "ETH-USD", "mm-fuzz"],
      stringsByField: { service: ["", "trading-system-engine", TradingService.typeName] },
    },
    allowedCodes: [...CLIENT_ERROR_CODES, Code.Unavailable],
    target: () => ({
      transports: fuzzTransportsOf(engine),
      stillServing: async () =>
        (await fetch(`http://127.0.0.1:${engine.httpPort}/api/v1/health`)).ok,
    }),
  });
});
