import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import { CircuitBreakerState, RiskService } from "@tse/proto/trading/v1/risk_pb";
import {
  type Order,
  OrderSide,
  OrderStatus,
  StrategyStatus,
  StrategyType,
  TradingService,
} from "@tse/proto/trading/v1/trading_pb";
import { repoRoot, type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import {
  describeWithPostgresAndRedis,
  openTestPool,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("./main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const suffix = process.pid.toString(36);
const simulatorInstance = `market-data-sim-te2e-${suffix}`;
const engineInstance = `trading-engine-e2e-${suffix}`;
const engineSchema = quoteIdentifier(deriveSchema(engineInstance));
const simulatorSchema = quoteIdentifier(deriveSchema(simulatorInstance));

const signed = (order: Order) =>
  order.fills.reduce(
    (sum, f) => sum + (order.side === OrderSide.BUY ? f.quantity : -f.quantity),
    0,
  );

describeWithPostgresAndRedis(
  "trading engine end to end (simulator, engine, Postgres, Redis)",
  () => {
    let sql: postgres.Sql;
    let simulator: SpawnedService | undefined;
    let engine: SpawnedService | undefined;
    let trading: Client<typeof TradingService>;
    let risk: Client<typeof RiskService>;
    const engineEnv = {
      SERVICE_INSTANCE_NAME: engineInstance,
      POSTGRES_URL: TEST_POSTGRES_URL,
      REDIS_URL: TEST_REDIS_URL,
      MARKET_DATA_INSTANCE: simulatorInstance,
      MARKET_DATA_STALE_MS: "3000",
      STRATEGY_COOLDOWN_SECONDS: "0",
      LOG_LEVEL: "info",
    };
    const connect = (service: SpawnedService) => {
      const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` });
      trading = createClient(TradingService, transport);
      risk = createClient(RiskService, transport);
    };

    beforeAll(async () => {
      sql = openTestPool();
      simulator = await spawnService(simulatorEntry, {
        SERVICE_INSTANCE_NAME: simulatorInstance,
        REDIS_URL: TEST_REDIS_URL,
        HISTORY_BACKFILL_HOURS: "0",
        SIMULATION_SPEED: "100",
        TICK_INTERVAL_MS: "50",
        HEALTH_CHECK_INTERVAL: "2",
      });
      engine = await spawnService(engineEntry, engineEnv);
      connect(engine);
    }, 60_000);

    afterAll(async () => {
      await engine?.stop("SIGKILL");
      await simulator?.stop("SIGTERM");
      await sql?.unsafe(`drop schema if exists ${engineSchema} cascade`);
      await sql?.unsafe(`drop schema if exists ${simulatorSchema} cascade`);
      await sql?.end({ timeout: 5 });
    });

    it("finds the simulator through discovery and becomes ready on its feed", async () => {
      const ready = await until(async () => {
        const response = await fetch(`http://127.0.0.1:${engine?.httpPort}/api/v1/ready`);
        return response.status === 200
          ? ((await response.json()) as { checks: Record<string, string> })
          : undefined;
      });
      expect(ready.checks).toMatchObject({ postgres: "ok", redis: "ok", market_data: "ok" });
    });

    it("trades a market-making strategy whose books balance and agree with Postgres", async () => {
      const { strategy } = await trading.startStrategy({
        strategyId: "mm-e2e",
        type: StrategyType.MARKET_MAKING,
        instruments: ["BTC-USD"],
        parameters: {
          case: "marketMaking",
          value: { orderQuantity: 0.01, spreadBps: 2, refreshIntervalMs: 300 },
        },
      });
      expect(strategy?.id).toBe("mm-e2e");

      const filled = await until(async () => {
        const { orders } = await trading.listOrders({ strategyId: "mm-e2e", limit: 1000 });
        return orders.filter((o) => o.fills.length > 0).length >= 3 ? orders : undefined;
      }, 60_000);
      expect(filled.some((o) => o.status === OrderStatus.FILLED)).toBe(true);

      // Freeze the books, then compare every view of them.
      await trading.pauseStrategy({ strategyId: "mm-e2e" });
      const { orders } = await trading.listOrders({ strategyId: "mm-e2e", limit: 1000 });
      const { positions } = await trading.getPositions({ strategyId: "mm-e2e", includeFlat: true });
      const net = orders.reduce((sum, o) => sum + signed(o), 0);
      expect(positions).toHaveLength(1);
      expect(positions[0]?.quantity).toBeCloseTo(net, 8);

      const { portfolio } = await trading.getPortfolio({});
      expect(portfolio?.totalPnl).toBeCloseTo(
        (portfolio?.realizedPnl ?? 0) + (portfolio?.unrealizedPnl ?? 0),
        6,
      );
      expect((portfolio?.totalValue ?? 0) - (portfolio?.initialCapital ?? 0)).toBeCloseTo(
        portfolio?.totalPnl ?? 0,
        4,
      );

      const fills = orders.flatMap((o) => o.fills);
      const stored = await until(async () => {
        const trades = (await sql.unsafe(
          `select trade_id::text as id, quantity::float8 as quantity from ${engineSchema}.trades where strategy_id = 'mm-e2e'`,
        )) as unknown as { id: string; quantity: number }[];
        return trades.length === fills.length ? trades : undefined;
      });
      expect(new Set(stored.map((t) => t.id))).toEqual(new Set(fills.map((f) => f.id)));
      const [row] = (await sql.unsafe(
        `select quantity::float8 as quantity from ${engineSchema}.positions where strategy_id = 'mm-e2e'`,
      )) as unknown as [{ quantity: number }];
      expect(row.quantity).toBeCloseTo(net, 8);
      const [strategyRow] = (await sql.unsafe(
        `select status::text as status from ${engineSchema}.strategies where strategy_id = 'mm-e2e'`,
      )) as unknown as [{ status: string }];
      expect(strategyRow.status).toBe("paused");
    });

    it("rejects the next order past a risk limit set low, and the breaker stops trading", async () => {
      await risk.setRiskLimits({ limits: { maxPositionSize: 0.000001 } });
      await trading.resumeStrategy({ strategyId: "mm-e2e" });
      const rejected = await until(async () => {
        const { orders } = await trading.listOrders({
          strategyId: "mm-e2e",
          statuses: [OrderStatus.REJECTED],
        });
        return orders[0];
      });
      expect(rejected.statusReason).toMatch(/max position size exceeded/);

      await risk.setRiskLimits({ limits: { maxPositionSize: 10, maxGrossLeverage: 0.5 } });
      const engaged = await risk.enableCircuitBreaker({ reason: "e2e" });
      expect(engaged.circuitBreaker?.state).toBe(CircuitBreakerState.ENGAGED);
      const count = async () =>
        (await trading.listOrders({ strategyId: "mm-e2e", limit: 1000 })).orders.length;
      const before = await count();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await count()).toBe(before);
      const open = await trading.listOrders({
        strategyId: "mm-e2e",
        statuses: [OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED],
      });
      expect(open.orders).toEqual([]);
      const status = await risk.getRiskStatus({});
      expect(status.utilization?.rejectedOrders).toBeGreaterThan(0);
    });

    it("serves the REST reads, with 400 for bad parameters and 404 for unknown ids", async () => {
      const base = `http://127.0.0.1:${engine?.httpPort}/api/v1`;
      const get = async (path: string) => {
        const response = await fetch(`${base}${path}`);
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        };
      };
      const strategies = await get("/strategies");
      expect((strategies.body.strategies as { id: string }[]).map((s) => s.id)).toEqual(["mm-e2e"]);
      const one = await get("/strategies/mm-e2e");
      expect(one.body).toMatchObject({ id: "mm-e2e", type: "market_making" });
      expect((one.body.positions as unknown[]).length).toBe(1);
      const api = await trading.getPositions({ strategyId: "mm-e2e", includeFlat: true });
      const positions = await get("/positions?include_flat=true");
      expect((positions.body.positions as { quantity: number }[])[0]?.quantity).toBeCloseTo(
        api.positions[0]?.quantity ?? 0,
        8,
      );
      const orders = await get("/orders?status=filled,cancelled&limit=5");
      expect(
        (orders.body.orders as { status: string }[]).every(
          (o) => o.status === "filled" || o.status === "cancelled",
        ),
      ).toBe(true);
      expect((orders.body.orders as unknown[]).length).toBeLessThanOrEqual(5);
      const portfolio = await get("/portfolio");
      expect(portfolio.body.total_pnl as number).toBeCloseTo(
        (portfolio.body.realized_pnl as number) + (portfolio.body.unrealized_pnl as number),
        6,
      );
      const riskBody = await get("/risk");
      expect(riskBody.body).toMatchObject({
        circuit_breaker: { state: "engaged", trigger: "manual" },
      });
      expect((await get("/orders?status=bogus")).status).toBe(400);
      expect((await get("/orders?limit=0")).status).toBe(400);
      expect((await get("/strategies/nope")).status).toBe(404);
    });

    it("exits cleanly on SIGTERM and a restart restores the strategy and its position", async () => {
      const before = await trading.getStrategyStatus({ strategyId: "mm-e2e" });
      expect(await engine?.stop("SIGTERM")).toBe(0);
      engine = await spawnService(engineEntry, engineEnv);
      connect(engine);
      const after = await trading.getStrategyStatus({ strategyId: "mm-e2e" });
      expect(after.strategy?.status).toBe(StrategyStatus.ACTIVE);
      expect(after.positions.map((p) => [p.instrument, p.quantity])).toEqual(
        before.positions.map((p) => [p.instrument, p.quantity]),
      );
      // The breaker engaged before the restart still holds, with the limits set through the API.
      const riskAfter = await risk.getRiskStatus({});
      expect(riskAfter.circuitBreaker).toMatchObject({
        state: CircuitBreakerState.ENGAGED,
        reason: "e2e",
      });
      expect(riskAfter.limits).toMatchObject({ maxPositionSize: 10, maxGrossLeverage: 0.5 });
      const { portfolio } = await trading.getPortfolio({});
      expect(portfolio?.realizedPnl).toBeCloseTo(
        before.positions.reduce((sum, p) => sum + p.realizedPnl, 0),
        6,
      );
      expect(await engine.stop("SIGTERM")).toBe(0);
    });
  },
);
