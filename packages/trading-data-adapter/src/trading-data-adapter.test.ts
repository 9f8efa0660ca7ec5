import { ValidationError } from "@tse/field-checks";
import { InMemoryMetrics } from "@tse/metrics-port";
import { afterEach, describe, expect, it } from "vitest";
import { sampleOrder, samplePosition, sampleStrategy } from "./contract/trading-samples.js";
import { createTradingDataAdapter, type TradingDataAdapter } from "./trading-data-adapter.js";
import { TRADING_PERSISTENCE_METRICS } from "./write-behind/trading-writes.js";

const identity = { schema: "trading_engine_a" };

describe("createTradingDataAdapter without POSTGRES_URL", () => {
  let adapter: TradingDataAdapter | undefined;
  afterEach(async () => {
    await adapter?.close(1_000);
    adapter = undefined;
  });

  it("runs in memory, reports it in health, and disables the probe", async () => {
    adapter = createTradingDataAdapter({
      identity,
      postgresUrl: "  ",
      metrics: new InMemoryMetrics(),
    });
    await adapter.connect();
    expect(adapter.backend).toBe("memory");
    expect(adapter.readinessProbes()).toEqual({ postgres: "disabled" });
    expect(await adapter.health()).toEqual({
      ok: true,
      postgres: { ok: true, detail: "memory" },
      writes: {
        healthy: true,
        lastError: undefined,
        pending: 0,
        commits: 0,
        consecutiveFailures: 0,
      },
    });
  });

  it("commits changes enqueued before connect once connected, and counts them", async () => {
    const metrics = new InMemoryMetrics();
    adapter = createTradingDataAdapter({ identity, metrics });
    adapter.writes.enqueue({ strategies: [sampleStrategy("s1")], orders: [sampleOrder(1, "s1")] });
    expect(() => adapter?.writes.enqueue({ orders: [sampleOrder(2, "s1", { fees: -1 })] })).toThrow(
      ValidationError,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await adapter.store.listStrategies()).toEqual([]);
    expect(metrics.gauge(TRADING_PERSISTENCE_METRICS.pending)).toBe(2);
    await adapter.connect();
    expect(await adapter.writes.flush(1_000)).toEqual({ flushed: true });
    expect((await adapter.store.loadState()).openOrders).toHaveLength(1);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commits)).toBe(1);
    expect(metrics.gauge(TRADING_PERSISTENCE_METRICS.pending)).toBe(0);
    expect(metrics.errors()).toEqual([]);
  });

  it("reports a commit that keeps failing in health and in the log", async () => {
    const logged: [string, string, Readonly<Record<string, unknown>>][] = [];
    adapter = createTradingDataAdapter({
      identity,
      metrics: new InMemoryMetrics(),
      writes: { initialRetryDelayMs: 5, maxRetryDelayMs: 10 },
      log: (level, message, fields) => logged.push([level, message, fields]),
    });
    await adapter.connect();
    adapter.writes.enqueue({ orders: [sampleOrder(1, "missing")] });
    expect(await adapter.writes.flush(100)).toEqual({ flushed: false });
    const health = await adapter.health();
    expect(health.ok).toBe(false);
    expect(health.writes).toMatchObject({ healthy: false, pending: 1 });
    expect(health.writes.lastError).toContain('"missing"');
    expect(logged[0]).toEqual([
      "warn",
      "trading commit failed; will retry",
      expect.objectContaining({ consecutiveFailures: 1, pending: 1 }),
    ]);
    expect(logged.some(([level]) => level === "error")).toBe(true);
    const closed = await adapter.close(50);
    expect(closed).toEqual({ flushed: false, pending: 1 });
    expect(logged.at(-1)).toEqual([
      "error",
      "closing with uncommitted trading changes",
      { pending: 1 },
    ]);
  });

  it("close flushes, is idempotent, and refuses later changes", async () => {
    adapter = createTradingDataAdapter({ identity, metrics: new InMemoryMetrics() });
    await adapter.connect();
    adapter.writes.enqueue({ positions: [samplePosition("s1")] });
    const first = adapter.close();
    expect(adapter.close()).toBe(first);
    expect(await first).toEqual({ flushed: true, pending: 0 });
    expect(await adapter.store.listPositions()).toHaveLength(1);
    expect(() => adapter?.writes.enqueue({ positions: [samplePosition("s2")] })).toThrow(/closed/);
  });

  it("connect with an aborted signal rejects with its reason", async () => {
    adapter = createTradingDataAdapter({ identity, metrics: new InMemoryMetrics() });
    const reason = new Error("shutting down");
    await expect(adapter.connect(AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
