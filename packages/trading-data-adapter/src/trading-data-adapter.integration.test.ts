import { DependencyCheckError } from "@tse/dependency-check";
import { qualifiedName, quoteIdentifier, resolveServiceIdentity } from "@tse/instance-naming";
import { InMemoryMetrics } from "@tse/metrics-port";
import {
  describeWithPostgres,
  openTestPool,
  startTcpProxy,
  type TcpProxy,
  TEST_POSTGRES_URL,
  uniqueTestName,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
} from "./contract/trading-samples.js";
import {
  createTradingDataAdapter,
  type TradingDataAdapter,
  type TradingDataAdapterConfig,
} from "./trading-data-adapter.js";
import { TRADING_PERSISTENCE_METRICS } from "./write-behind/trading-writes.js";

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithPostgres("createTradingDataAdapter on Postgres", () => {
  let admin: postgres.Sql;
  const schemas: string[] = [];
  const adapters: TradingDataAdapter[] = [];
  let proxy: TcpProxy | undefined;

  beforeAll(() => {
    admin = openTestPool();
  });
  afterEach(async () => {
    proxy?.restore();
    for (const adapter of adapters.splice(0)) await adapter.close(2_000);
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(async () => {
    for (const schema of schemas) {
      await admin.unsafe(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
    }
    await admin.end({ timeout: 5 });
  });

  function identity(prefix: string) {
    const id = resolveServiceIdentity({
      serviceName: "trading-system-engine",
      instanceName: uniqueTestName(prefix),
      version: "0.1.0",
    });
    schemas.push(id.schema);
    return id;
  }

  function create(
    config: Partial<TradingDataAdapterConfig> & Pick<TradingDataAdapterConfig, "identity">,
  ) {
    const adapter = createTradingDataAdapter({
      postgresUrl: TEST_POSTGRES_URL,
      metrics: new InMemoryMetrics(),
      ...config,
    });
    adapters.push(adapter);
    return adapter;
  }

  it("migrates the instance schema on connect; what was written is restored after a restart", async () => {
    const id = identity("trading-engine-a");
    const first = create({ identity: id });
    await first.connect();
    expect(first.backend).toBe("postgres");
    const tables = await admin.unsafe<{ table_name: string }[]>(
      "select table_name from information_schema.tables where table_schema = $1 order by 1",
      [id.schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "engine_state",
      "orders",
      "positions",
      "strategies",
      "trades",
      "trading_system_engine_schema_migrations",
    ]);
    expect(await first.health()).toMatchObject({ ok: true, postgres: { ok: true, detail: "ok" } });
    const probe = first.readinessProbes().postgres;
    expect(typeof probe).toBe("function");
    await (probe as (signal: AbortSignal) => Promise<void>)(AbortSignal.timeout(5_000));

    const open = sampleOrder(1, "s1", { status: "partially_filled", filledQuantity: 0.1 });
    first.writes.enqueue({
      strategies: [sampleStrategy("s1", { status: "active" })],
      orders: [open, sampleOrder(2, "s1", { status: "filled", filledQuantity: 0.5 })],
      trades: [sampleTrade(1, open)],
      positions: [samplePosition("s1", "BTC-USD", { quantity: -0.1, realizedPnl: -3 })],
      engineState: [sampleEngineState("circuit_breaker", { value: { engaged: false } })],
    });
    // The breaker engages and the limits change afterwards: the latest state is what is restored.
    first.writes.enqueue({
      engineState: [
        sampleEngineState("circuit_breaker"),
        sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 } }),
      ],
    });
    expect(await first.close()).toEqual({ flushed: true, pending: 0 });

    const restarted = create({ identity: id });
    await restarted.connect();
    const state = await restarted.store.loadState();
    expect(state.strategies.map((s) => [s.strategyId, s.status])).toEqual([["s1", "active"]]);
    expect(state.openOrders).toStrictEqual([{ ...open }]);
    expect(state.positions).toStrictEqual([
      samplePosition("s1", "BTC-USD", { quantity: -0.1, realizedPnl: -3 }),
    ]);
    expect(await restarted.store.listTrades({ orderId: open.orderId })).toHaveLength(1);
    expect(state.engineState).toStrictEqual([
      sampleEngineState("circuit_breaker"),
      sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 } }),
    ]);
    expect(await restarted.store.getEngineState("circuit_breaker")).toStrictEqual(
      sampleEngineState("circuit_breaker"),
    );
  });

  it("two adapters connecting to one fresh schema at once both succeed, migrating once", async () => {
    const id = identity("trading-engine-race");
    const a = create({ identity: id });
    const b = create({ identity: id });
    await Promise.all([a.connect(), b.connect()]);
    const history = await admin.unsafe<{ version: number }[]>(
      `select version from ${qualifiedName(id.schema, "trading_system_engine_schema_migrations")}`,
    );
    expect(history.map((row) => row.version)).toEqual([1, 2]);
    a.writes.enqueue({ strategies: [sampleStrategy("from-a")] });
    b.writes.enqueue({ strategies: [sampleStrategy("from-b")] });
    expect(await a.writes.flush(5_000)).toEqual({ flushed: true });
    expect(await b.writes.flush(5_000)).toEqual({ flushed: true });
    expect((await a.store.listStrategies()).map((s) => s.strategyId).sort()).toEqual([
      "from-a",
      "from-b",
    ]);
  });

  it("keeps every change through an outage, reports it, and commits it all when Postgres returns", async () => {
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    const metrics = new InMemoryMetrics();
    const id = identity("trading-engine-outage");
    const adapter = create({
      identity: id,
      postgresUrl: proxy.url,
      metrics,
      postgres: { connectTimeoutSeconds: 1 },
      writes: { initialRetryDelayMs: 20, maxRetryDelayMs: 200 },
    });
    await adapter.connect();
    adapter.writes.enqueue({ strategies: [sampleStrategy("s1", { status: "active" })] });
    expect(await adapter.writes.flush(5_000)).toEqual({ flushed: true });

    proxy.cut();
    const orders = Array.from({ length: 30 }, (_, i) => sampleOrder(i + 1, "s1"));
    for (const order of orders) {
      adapter.writes.enqueue({ orders: [order] });
      adapter.writes.enqueue({
        orders: [
          {
            ...order,
            status: "filled",
            filledQuantity: order.quantity,
            updatedAt: order.createdAt,
          },
        ],
        trades: [sampleTrade(orders.indexOf(order) + 1, order)],
      });
    }
    // Both must have noticed: the probe can fail before the writer's first commit attempt does.
    await until(async () => {
      const health = await adapter.health();
      return !health.postgres.ok && !health.writes.healthy;
    });
    const down = await adapter.health();
    expect(down.postgres.ok).toBe(false);
    expect(down.writes.healthy).toBe(false);
    expect(down.writes.pending).toBe(60);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commitErrors)).toBeGreaterThan(0);
    await expect(
      (adapter.readinessProbes().postgres as (s: AbortSignal) => Promise<void>)(
        AbortSignal.timeout(5_000),
      ),
    ).rejects.toThrow();

    proxy.restore();
    expect(await adapter.writes.flush(15_000)).toEqual({ flushed: true });
    await until(async () => (await adapter.health()).ok);
    const [counts] = await admin.unsafe<{ orders: number; filled: number; trades: number }[]>(
      `select (select count(*)::int from ${qualifiedName(id.schema, "orders")}) as orders,
              (select count(*)::int from ${qualifiedName(id.schema, "orders")} where status = 'filled') as filled,
              (select count(*)::int from ${qualifiedName(id.schema, "trades")}) as trades`,
    );
    expect(counts).toEqual({ orders: 30, filled: 30, trades: 30 });
    expect(adapter.writes.status().pending).toBe(0);
  });

  it("close reports changes it could not commit while Postgres is away", async () => {
    proxy = await startTcpProxy(TEST_POSTGRES_URL);
    const adapter = create({
      identity: identity("trading-engine-close"),
      postgresUrl: proxy.url,
      postgres: { connectTimeoutSeconds: 1 },
      writes: { initialRetryDelayMs: 20, maxRetryDelayMs: 50 },
    });
    await adapter.connect();
    proxy.cut();
    adapter.writes.enqueue({
      strategies: [sampleStrategy("s1")],
      positions: [samplePosition("s1")],
    });
    expect(await adapter.close(300)).toEqual({ flushed: false, pending: 2 });
  });

  it("an unreachable server is named in the error, without the password", async () => {
    const adapter = create({
      identity: identity("trading-engine-down"),
      postgresUrl: "postgres://engine:s3cret@127.0.0.1:1/tradingdb",
      postgres: { connectTimeoutSeconds: 1 },
      dependencyCheckTimeoutMs: 500,
    });
    const error = await adapter.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyCheckError);
    expect((error as Error).message).toContain(
      "Postgres at 127.0.0.1:1/tradingdb is unreachable: connect ECONNREFUSED",
    );
    expect((error as Error).message).not.toContain("s3cret");
    expect((await adapter.health()).postgres.ok).toBe(false);
  });
});
