import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { OrderStatus, StrategyType, TradingService } from "@tse/proto/trading/v1/trading_pb";
import {
  ACCESS_CONTROL_ENV,
  ACCESS_TEST_TOKENS,
  describeAccessControl,
  guardedWrite,
  repoRoot,
  type SpawnedService,
  spawnService,
  until,
} from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const STRATEGY = "access-mm";

describe("trading-engine with AUTH_TOKENS, trading a simulator whose reads are protected too (real processes)", () => {
  let simulator: SpawnedService;
  let engine: SpawnedService;
  const transport = () => createGrpcTransport({ baseUrl: `http://127.0.0.1:${engine.grpcPort}` });
  const trading = () => createClient(TradingService, transport());
  const risk = () => createClient(RiskService, transport());

  beforeAll(async () => {
    simulator = await spawnService(simulatorEntry, {
      ...ACCESS_CONTROL_ENV,
      AUTH_PROTECT_READS: "true",
      HISTORY_BACKFILL_HOURS: "0",
      SIMULATION_SPEED: "20",
    });
    engine = await spawnService(entry, {
      ...ACCESS_CONTROL_ENV,
      MARKET_DATA_URL: `http://127.0.0.1:${simulator.grpcPort}`,
      MARKET_DATA_AUTH_TOKEN: ACCESS_TEST_TOKENS[1],
      STRATEGY_COOLDOWN_SECONDS: "0",
    });
  }, 90_000);
  afterAll(async () => {
    await engine?.stop("SIGKILL");
    await simulator?.stop("SIGKILL");
  });

  it("reaches the protected simulator with MARKET_DATA_AUTH_TOKEN: its feed goes live", async () => {
    await until(async () => {
      const ready = await fetch(`http://127.0.0.1:${engine.httpPort}/api/v1/ready`);
      return ready.ok ? true : undefined;
    }, 60_000);
  }, 70_000);

  it("the simulator with AUTH_PROTECT_READS refuses reads without a token and keeps probes open", async () => {
    const base = `http://127.0.0.1:${simulator.httpPort}`;
    const rest = await fetch(`${base}/api/v1/market/prices`);
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    const withToken = await fetch(`${base}/api/v1/market/prices`, {
      headers: { Authorization: `Bearer ${ACCESS_TEST_TOKENS[0]}` },
    });
    expect(withToken.status).toBe(200);
    for (const open of ["/api/v1/health", "/api/v1/ready", "/metrics", "/"]) {
      expect((await fetch(`${base}${open}`)).status, open).toBe(200);
    }
    const quotes = createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${simulator.grpcPort}` }),
    );
    const refused = await quotes.getQuote({ symbol: "BTC-USD" }).catch((e: unknown) => e);
    expect(ConnectError.from(refused).code).toBe(Code.Unauthenticated);
  });

  describeAccessControl("every state-changing RPC of the engine", {
    target: () => engine,
    services: [TradingService, RiskService],
    writes: [
      guardedWrite(RiskService.method.setRiskLimits, { limits: { maxPositionSize: 7 } }),
      guardedWrite(RiskService.method.enableCircuitBreaker, { reason: "access test" }),
      guardedWrite(RiskService.method.disableCircuitBreaker, { reason: "access test" }),
      guardedWrite(TradingService.method.startStrategy, {
        strategyId: STRATEGY,
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: { case: "marketMaking", value: { orderQuantity: 0.01, spreadBps: 50 } },
      }),
      guardedWrite(
        TradingService.method.cancelOrder,
        { orderId: "00000000-0000-0000-0000-000000000000" },
        async () => {
          const order = await until(async () => {
            const { orders } = await trading().listOrders({
              strategyId: STRATEGY,
              statuses: [OrderStatus.ACCEPTED],
            });
            return orders[0];
          });
          return { orderId: order.id };
        },
      ),
      guardedWrite(TradingService.method.pauseStrategy, { strategyId: STRATEGY }),
      guardedWrite(TradingService.method.resumeStrategy, { strategyId: STRATEGY }),
      guardedWrite(RiskService.method.forcePositionClose, { reason: "access test" }),
      guardedWrite(TradingService.method.stopStrategy, {
        strategyId: STRATEGY,
        closePositions: true,
      }),
    ],
    state: async () => {
      const status = await risk().getRiskStatus({});
      const { strategies } = await trading().listStrategies({});
      return {
        limits: status.limits,
        breaker: status.circuitBreaker,
        strategies: strategies.map((s) => [s.id, s.status]),
      };
    },
    restPath: "/api/v1/portfolio",
  });
});
