import { ValidationError } from "@tse/field-checks";
import { InMemoryMetrics } from "@tse/metrics-port";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  at,
  sampleEngineState,
  sampleOrder,
  samplePosition,
  sampleStrategy,
  sampleTrade,
  uuid,
} from "../contract/trading-samples.js";
import { MemoryTradingStore } from "../memory/memory-trading-store.js";
import type { TradingChanges } from "../model/trading-changes.js";
import type { TradingStore } from "../repositories/trading-store.js";
import { FlakyTradingStore } from "../testing/flaky-trading-store.js";
import {
  TRADING_PERSISTENCE_METRICS,
  TradingWrites,
  type TradingWritesStatus,
} from "./trading-writes.js";

/** A store whose commits wait until the test releases them, one at a time. */
class GatedStore extends MemoryTradingStore {
  readonly commits: TradingChanges[] = [];
  readonly #gates: (() => void)[] = [];
  override async commit(changes: TradingChanges): Promise<void> {
    this.commits.push(changes);
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    await super.commit(changes);
  }
  get waiting(): number {
    return this.#gates.length;
  }
  release(): void {
    this.#gates.shift()?.();
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const fast = { initialRetryDelayMs: 1, maxRetryDelayMs: 4 };

describe("TradingWrites", () => {
  const open: TradingWrites[] = [];
  function writesOn(store: TradingStore, metrics = new InMemoryMetrics(), options = fast) {
    const writes = new TradingWrites({ store, metrics }, options);
    open.push(writes);
    return writes;
  }
  afterEach(async () => {
    vi.useRealTimers();
    for (const writes of open.splice(0)) await writes.close(100);
  });

  it("validates at once: a bad batch throws naming the record and queues nothing", () => {
    const writes = writesOn(new MemoryTradingStore());
    let error: unknown;
    try {
      writes.enqueue({
        strategies: [sampleStrategy("s1")],
        orders: [sampleOrder(1, "s1"), sampleOrder(2, "s1", { quantity: Number.NaN })],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("orders[1].quantity");
    expect(writes.pending).toBe(0);
  });

  it("returns at once and commits in the background after start, in order", async () => {
    const store = new MemoryTradingStore();
    const metrics = new InMemoryMetrics();
    const writes = writesOn(store, metrics);
    writes.enqueue({ strategies: [sampleStrategy("s1")], orders: [sampleOrder(1, "s1")] });
    expect(writes.pending).toBe(2);
    expect(metrics.gauge(TRADING_PERSISTENCE_METRICS.pending)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Not started: nothing committed yet.
    expect(await store.listStrategies()).toEqual([]);
    writes.start();
    expect(await writes.flush(1_000)).toEqual({ flushed: true });
    writes.enqueue({ orders: [sampleOrder(1, "s1", { status: "submitted" })] });
    writes.enqueue({ orders: [sampleOrder(1, "s1", { status: "accepted" })] });
    expect(await writes.flush(1_000)).toEqual({ flushed: true });
    expect((await store.getOrder(uuid(1, 1)))?.status).toBe("accepted");
    expect(writes.pending).toBe(0);
    expect(metrics.gauge(TRADING_PERSISTENCE_METRICS.pending)).toBe(0);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commits)).toBeGreaterThanOrEqual(2);
    expect(metrics.errors()).toEqual([]);
  });

  it("merges the batches queued before a commit into one commit", async () => {
    const store = new GatedStore();
    const metrics = new InMemoryMetrics();
    const writes = writesOn(store, metrics);
    const order = sampleOrder(1, "s1");
    writes.enqueue({ strategies: [sampleStrategy("s1")], orders: [order] });
    writes.enqueue({
      orders: [sampleOrder(1, "s1", { status: "partially_filled", filledQuantity: 0.1 })],
      trades: [sampleTrade(1, order)],
      positions: [samplePosition("s1", "BTC-USD", { quantity: 0.1 })],
    });
    writes.enqueue({
      orders: [sampleOrder(1, "s1", { status: "filled", filledQuantity: 0.5 })],
      trades: [sampleTrade(1, order, { price: 1 }), sampleTrade(2, order)],
      positions: [samplePosition("s1", "BTC-USD", { quantity: 0.5 })],
    });
    expect(writes.pending).toBe(5);
    writes.start();
    await until(() => store.waiting === 1);
    store.release();
    expect(await writes.flush(1_000)).toEqual({ flushed: true });
    expect(store.commits).toHaveLength(1);
    const [merged] = store.commits;
    expect(merged?.orders?.map((o) => o.status)).toEqual(["filled"]);
    expect(merged?.trades?.map((t) => [t.tradeId, t.price])).toEqual([
      [uuid(1, 2), sampleTrade(1, order).price],
      [uuid(2, 2), sampleTrade(2, order).price],
    ]);
    expect(merged?.positions?.map((p) => p.quantity)).toEqual([0.5]);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commits)).toBe(1);
    expect(await store.listTrades()).toHaveLength(2);
  });

  it("queues engine state like any change: merged by key, the latest committed", async () => {
    const store = new GatedStore();
    const writes = writesOn(store);
    writes.enqueue({ engineState: [sampleEngineState("circuit_breaker")] });
    writes.enqueue({
      engineState: [
        sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 } }),
        sampleEngineState("circuit_breaker", { value: { engaged: false }, updatedAt: at(50) }),
      ],
    });
    expect(writes.pending).toBe(2);
    expect(() => writes.enqueue({ engineState: [sampleEngineState("Circuit Breaker")] })).toThrow(
      ValidationError,
    );
    expect(writes.pending).toBe(2);
    writes.start();
    await until(() => store.waiting === 1);
    store.release();
    expect(await writes.flush(1_000)).toEqual({ flushed: true });
    expect(store.commits).toHaveLength(1);
    expect((await store.loadState()).engineState).toStrictEqual([
      sampleEngineState("circuit_breaker", { value: { engaged: false }, updatedAt: at(50) }),
      sampleEngineState("risk_limits", { value: { maxDrawdownPct: 3 } }),
    ]);
  });

  it("batches queued while a commit runs go together into the next one; flush waits only for earlier batches", async () => {
    const store = new GatedStore();
    const writes = writesOn(store);
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")] });
    await until(() => store.waiting === 1);
    const firstFlush = writes.flush(5_000);
    writes.enqueue({ orders: [sampleOrder(1, "s1")] });
    writes.enqueue({ orders: [sampleOrder(2, "s1")] });
    store.release();
    expect(await firstFlush).toEqual({ flushed: true });
    await until(() => store.waiting === 1);
    // The later batches are still being committed.
    expect(writes.pending).toBe(2);
    const secondFlush = writes.flush(5_000);
    store.release();
    expect(await secondFlush).toEqual({ flushed: true });
    expect(store.commits.map((c) => c.orders?.length ?? 0)).toEqual([0, 2]);
    expect((await store.listOrders()).length).toBe(2);
  });

  it("retries a failing store, reports it, and loses nothing", async () => {
    const inner = new MemoryTradingStore();
    const store = new FlakyTradingStore(inner, 3);
    const metrics = new InMemoryMetrics();
    const errors: number[] = [];
    const duringOutage: TradingWritesStatus[] = [];
    const trades = Array.from({ length: 20 }, (_, i) => sampleTrade(i + 1, sampleOrder(1, "s1")));
    const writes: TradingWrites = new TradingWrites(
      {
        store,
        metrics,
        onCommitError: (_, consecutive) => {
          errors.push(consecutive);
          duringOutage.push(writes.status());
          // Queued during the outage: merged into the retried commit.
          if (consecutive === 1) for (const trade of trades) writes.enqueue({ trades: [trade] });
        },
      },
      { initialRetryDelayMs: 20, maxRetryDelayMs: 40 },
    );
    open.push(writes);
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")], orders: [sampleOrder(1, "s1")] });
    expect(await writes.flush(5_000)).toEqual({ flushed: true });
    expect(store.attempts.map((a) => a.failed)).toEqual([true, true, true, false]);
    expect(errors).toEqual([1, 2, 3]);
    expect(duringOutage).toEqual([
      {
        healthy: false,
        lastError: "connection refused",
        pending: 2,
        commits: 0,
        consecutiveFailures: 1,
      },
      {
        healthy: false,
        lastError: "connection refused",
        pending: 22,
        commits: 0,
        consecutiveFailures: 2,
      },
      {
        healthy: false,
        lastError: "connection refused",
        pending: 22,
        commits: 0,
        consecutiveFailures: 3,
      },
    ]);
    expect(metrics.gauge(TRADING_PERSISTENCE_METRICS.pending)).toBe(0);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commitErrors)).toBe(3);
    expect(metrics.counter(TRADING_PERSISTENCE_METRICS.commits)).toBe(1);
    expect(writes.status()).toEqual({
      healthy: true,
      lastError: undefined,
      pending: 0,
      commits: 1,
      consecutiveFailures: 0,
    });
    expect(await inner.listTrades()).toHaveLength(20);
    expect(await inner.listOrders()).toHaveLength(1);
  });

  it("backs off exponentially from the initial delay to the cap, and resets after a success", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "Date"] });
    const store = new FlakyTradingStore(new MemoryTradingStore(), 5);
    const times: number[] = [];
    const timed: TradingStore = Object.assign(Object.create(store) as TradingStore, {
      commit: (changes: TradingChanges) => {
        times.push(Date.now());
        return store.commit(changes);
      },
    });
    const writes = writesOn(timed, new InMemoryMetrics(), {
      initialRetryDelayMs: 100,
      maxRetryDelayMs: 400,
    });
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")] });
    await vi.advanceTimersByTimeAsync(10_000);
    // Attempt to attempt: the retry delay, plus the writer's hop through setImmediate (≤ 1 ms).
    const gaps = (list: number[]) =>
      list.slice(1).map((t, i) => Math.floor((t - (list[i] as number)) / 10) * 10);
    // Delays 100, 200, 400, 400 (capped), 400, then the sixth attempt succeeds.
    expect(gaps(times)).toEqual([100, 200, 400, 400, 400]);
    expect(store.attempts.map((a) => a.failed)).toEqual([true, true, true, true, true, false]);
    store.failures = 1;
    writes.enqueue({ strategies: [sampleStrategy("s2")] });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gaps(times.slice(-2))).toEqual([100]);
    expect(store.attempts).toHaveLength(8);
    expect(writes.pending).toBe(0);
  });

  it("flush gives up at its deadline without dropping anything", async () => {
    const inner = new MemoryTradingStore();
    const store = new FlakyTradingStore(inner, Number.POSITIVE_INFINITY);
    const writes = writesOn(store);
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")] });
    expect(await writes.flush(30)).toEqual({ flushed: false });
    expect(writes.pending).toBe(1);
    store.failures = 0;
    expect(await writes.flush(2_000)).toEqual({ flushed: true });
    expect(await inner.listStrategies()).toHaveLength(1);
  });

  it("keeps retrying a commit the store refuses for good, and says why", async () => {
    const store = new MemoryTradingStore();
    const writes = writesOn(store);
    writes.start();
    writes.enqueue({ orders: [sampleOrder(1, "unknown")] });
    writes.enqueue({ strategies: [sampleStrategy("s1")] });
    expect(await writes.flush(50)).toEqual({ flushed: false });
    expect(writes.status()).toMatchObject({ healthy: false, pending: 2 });
    expect(writes.status().lastError).toContain('strategy "unknown"');
    expect(await store.listStrategies()).toEqual([]);
    // The missing strategy arrives: the merged commit now succeeds, nothing was dropped.
    writes.enqueue({ strategies: [sampleStrategy("unknown")] });
    expect(await writes.flush(2_000)).toEqual({ flushed: true });
    expect((await store.listStrategies()).map((s) => s.strategyId).sort()).toEqual([
      "s1",
      "unknown",
    ]);
    expect(await store.listOrders()).toHaveLength(1);
  });

  it("tells the newest state of an order still queued or being committed, with its trades", async () => {
    const store = new GatedStore();
    const writes = writesOn(store);
    writes.start();
    const order = sampleOrder(1, "s1", { status: "accepted" });
    const trade = sampleTrade(1, order);
    writes.enqueue({ strategies: [sampleStrategy("s1")], orders: [order] });
    await until(() => store.waiting === 1);
    // Being committed: not yet what the store answers.
    expect(writes.pendingOrder(order.orderId)?.order.status).toBe("accepted");
    writes.enqueue({
      orders: [{ ...order, status: "partially_filled", filledQuantity: 0.1 }],
      trades: [trade],
    });
    writes.enqueue({ orders: [{ ...order, status: "cancelled" }] });
    expect(writes.pendingOrder(order.orderId.toUpperCase())).toMatchObject({
      order: { status: "cancelled" },
      trades: [{ tradeId: trade.tradeId }],
    });
    expect(writes.pendingOrder(sampleOrder(2).orderId)).toBeUndefined();
    store.release();
    await until(() => store.waiting === 1);
    store.release();
    expect(await writes.flush(1_000)).toEqual({ flushed: true });
    expect(writes.pendingOrder(order.orderId)).toBeUndefined();
    expect((await store.getOrder(order.orderId))?.status).toBe("cancelled");
  });

  it("close flushes, then refuses new changes", async () => {
    const store = new MemoryTradingStore();
    const writes = writesOn(store);
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")] });
    expect(await writes.close(1_000)).toEqual({ flushed: true });
    expect(await store.listStrategies()).toHaveLength(1);
    expect(() => writes.enqueue({ strategies: [sampleStrategy("s2")] })).toThrow(/closed/);
    expect(await writes.close(1_000)).toEqual({ flushed: true });
  });

  it("close reports what it could not commit", async () => {
    const store = new FlakyTradingStore(new MemoryTradingStore(), Number.POSITIVE_INFINITY);
    const writes = writesOn(store);
    writes.start();
    writes.enqueue({ strategies: [sampleStrategy("s1")], positions: [samplePosition("s1")] });
    expect(await writes.close(30)).toEqual({ flushed: false });
    expect(writes.pending).toBe(2);
    const attempts = store.attempts.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The writer stopped: no more attempts after close.
    expect(store.attempts.length).toBe(attempts);
  });
});
