import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { deriveSchema, quoteIdentifier } from "@tse/instance-naming";
import {
  OrderSide,
  OrderStatus,
  OrderType,
  StrategyStatus,
  StrategyType,
  TradingService,
} from "@tse/proto/trading/v1/trading_pb";
import { repoRoot, type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import { describeWithPostgres, openTestPool, TEST_POSTGRES_URL } from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("./main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const engineInstance = `trading-engine-sigkill-${process.pid.toString(36)}`;
const schema = quoteIdentifier(deriveSchema(engineInstance));
const OPEN_STATUSES = ["pending", "submitted", "accepted", "partially_filled"];

const positionKey = (p: { strategyId: string; instrument: string }) =>
  `${p.strategyId}/${p.instrument}`;

/** A proto enum value as the stored enum label (`OrderStatus.PARTIALLY_FILLED` → `partially_filled`). */
const label = (names: object, value: number) =>
  String((names as Record<number, string>)[value] ?? "").toLowerCase();

/** Rows in one order (code-point order of `keyOf`), whichever side they came from. */
const sorted = <T>(rows: readonly T[], keyOf: (row: T) => string): T[] =>
  [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

/** The committed state as Postgres holds it, in the shape the API is compared with. */
async function committedState(sql: postgres.Sql) {
  const strategies = (await sql.unsafe(
    `select strategy_id as id, type::text as type, status::text as status, status_reason as reason,
            instruments
     from ${schema}.strategies`,
  )) as unknown as {
    id: string;
    type: string;
    status: string;
    reason: string;
    instruments: string[];
  }[];
  const openOrders = (await sql.unsafe(
    `select order_id::text as id, client_order_id as "clientOrderId", strategy_id as "strategyId",
            instrument, side::text as side, type::text as type, status::text as status,
            quantity::float8 as quantity, limit_price::float8 as "limitPrice",
            filled_quantity::float8 as "filledQuantity"
     from ${schema}.orders where status::text = any($1)`,
    [OPEN_STATUSES],
  )) as unknown as { id: string }[];
  const positions = (await sql.unsafe(
    `select strategy_id as "strategyId", instrument_id as instrument, quantity::float8 as quantity,
            average_entry_price::float8 as "averageEntryPrice", realized_pnl::float8 as "realizedPnl"
     from ${schema}.positions`,
  )) as unknown as { strategyId: string; instrument: string }[];
  return {
    strategies: sorted(strategies, (s) => s.id),
    openOrders: sorted(openOrders, (o) => o.id),
    positions: sorted(positions, positionKey),
  };
}

describeWithPostgres("trading engine killed with SIGKILL mid-trading", () => {
  let sql: postgres.Sql;
  let simulator: SpawnedService | undefined;
  let engine: SpawnedService | undefined;
  const engineEnv = {
    SERVICE_INSTANCE_NAME: engineInstance,
    POSTGRES_URL: TEST_POSTGRES_URL,
    STRATEGY_COOLDOWN_SECONDS: "0",
    LOG_LEVEL: "info",
  };
  const tradingClient = (service: SpawnedService): Client<typeof TradingService> =>
    createClient(
      TradingService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
    );

  beforeAll(async () => {
    sql = openTestPool();
    await sql.unsafe(`drop schema if exists ${schema} cascade`);
    simulator = await spawnService(simulatorEntry, {
      HISTORY_BACKFILL_HOURS: "0",
      SIMULATION_SPEED: "100",
      TICK_INTERVAL_MS: "50",
    });
  }, 60_000);

  afterAll(async () => {
    await engine?.stop("SIGKILL");
    await simulator?.stop("SIGKILL");
    await sql?.unsafe(`drop schema if exists ${schema} cascade`);
    await sql?.end({ timeout: 5 });
  });

  it("restores strategies, open orders and positions equal to the last committed state", async () => {
    engine = await spawnService(engineEntry, {
      ...engineEnv,
      MARKET_DATA_URL: `http://127.0.0.1:${simulator?.grpcPort}`,
    });
    const trading = tradingClient(engine);
    for (const [id, instrument] of [
      ["mm-kill-btc", "BTC-USD"],
      ["mm-kill-eth", "ETH-USD"],
      ["mm-kill-sol", "SOL-USD"],
    ] as const) {
      await trading.startStrategy({
        strategyId: id,
        type: StrategyType.MARKET_MAKING,
        instruments: [instrument],
        parameters: {
          case: "marketMaking",
          value: { orderQuantity: 0.01, spreadBps: 2, levels: 2, refreshIntervalMs: 300 },
        },
      });
    }
    // Trading for real: fills in Postgres, positions open, orders resting.
    await until(async () => {
      const [row] = (await sql.unsafe(
        `select (select count(*) from ${schema}.trades)::int as fills,
                (select count(*) from ${schema}.positions where quantity <> 0)::int as positions`,
      )) as unknown as [{ fills: number; positions: number }];
      return row.fills >= 6 && row.positions >= 2 ? true : undefined;
    }, 60_000);
    // One strategy paused by hand must come back paused.
    await trading.pauseStrategy({ strategyId: "mm-kill-sol" });
    await until(async () => {
      const [row] = (await sql.unsafe(
        `select status::text as status from ${schema}.strategies where strategy_id = 'mm-kill-sol'`,
      )) as unknown as [{ status: string }];
      return row.status === "paused" ? true : undefined;
    });
    // Mid-trading: the others keep quoting — wait for a fresh order, then kill at once.
    const ordersBefore = (await trading.listOrders({ limit: 1000 })).orders.length;
    await until(async () =>
      (await trading.listOrders({ limit: 1000 })).orders.length > ordersBefore ? true : undefined,
    );
    expect(await engine.stop("SIGKILL")).toBeNull();

    const committed = await committedState(sql);
    expect(committed.strategies.map((s) => [s.id, s.status])).toEqual([
      ["mm-kill-btc", "active"],
      ["mm-kill-eth", "active"],
      ["mm-kill-sol", "paused"],
    ]);
    expect(committed.openOrders.length).toBeGreaterThan(0);
    expect(committed.positions.length).toBeGreaterThanOrEqual(2);

    // Restart without a market data feed, so nothing trades while the state is compared.
    engine = await spawnService(engineEntry, {
      ...engineEnv,
      MARKET_DATA_URL: "http://127.0.0.1:9",
      MARKET_DATA_STALE_MS: "600000",
    });
    const restarted = tradingClient(engine);
    expect(engine.output()).toContain(
      `"strategies":3,"openOrders":${committed.openOrders.length},"positions":${committed.positions.length}`,
    );

    const { strategies } = await restarted.listStrategies({});
    expect(
      sorted(
        strategies.map((s) => ({
          id: s.id,
          type: label(StrategyType, s.type),
          status: label(StrategyStatus, s.status),
          reason: s.statusReason,
          instruments: s.instruments,
        })),
        (s) => s.id,
      ),
    ).toEqual(committed.strategies);

    const { orders } = await restarted.listOrders({
      statuses: [
        OrderStatus.PENDING,
        OrderStatus.SUBMITTED,
        OrderStatus.ACCEPTED,
        OrderStatus.PARTIALLY_FILLED,
      ],
      limit: 1000,
    });
    expect(
      sorted(
        orders.map((o) => ({
          id: o.id,
          clientOrderId: o.clientOrderId,
          strategyId: o.strategyId,
          instrument: o.instrument,
          side: label(OrderSide, o.side),
          type: label(OrderType, o.type),
          status: label(OrderStatus, o.status),
          quantity: o.quantity,
          limitPrice: o.limitPrice,
          filledQuantity: o.filledQuantity,
        })),
        (o) => o.id,
      ),
    ).toEqual(committed.openOrders);

    const { positions } = await restarted.getPositions({ includeFlat: true });
    expect(
      sorted(
        positions.map((p) => ({
          strategyId: p.strategyId,
          instrument: p.instrument,
          quantity: p.quantity,
          averageEntryPrice: p.averageEntryPrice,
          realizedPnl: p.realizedPnl,
        })),
        positionKey,
      ),
    ).toEqual(committed.positions);

    expect(engine.output()).not.toContain("unhandled promise rejection");
    expect(await engine.stop("SIGTERM")).toBe(0);
  }, 180_000);
});
