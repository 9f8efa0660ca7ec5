import { describe, expect, it } from "vitest";
import type { StrategyMemory, TradingStrategy } from "../strategies/trading-strategy.js";
import { ChangeSet, type RiskState } from "./change-set.js";
import { EngineRequestError } from "./engine-request-error.js";
import { NO_ACTIVITY } from "./strategy-lifecycle.js";
import { STALE_FEED_REASON, type StartStrategyCommand, StrategyRoster } from "./strategy-roster.js";

const T0 = Date.UTC(2026, 10, 23);
const COOLDOWN_MS = 30_000;

/** A strategy that never trades, whose memory version the test moves. */
function idle(): TradingStrategy & { memory: StrategyMemory & { version: number } } {
  const memory = { version: 0, save: () => ({ saved: memory.version }), restore: () => undefined };
  return {
    type: "market_making",
    parameters: {},
    memory,
    onQuote: () => ({ cancel: [], place: [] }),
  };
}

const command = (id: string, instrument = "BTC-USD"): StartStrategyCommand => ({
  id,
  name: id,
  type: "market_making",
  instruments: [instrument],
  strategy: idle(),
  limits: { maxPosition: 0, maxNotional: 0, maxOpenOrders: 50, maxLoss: 0 },
});

function setup() {
  const changes = new ChangeSet();
  const roster = new StrategyRoster(changes, COOLDOWN_MS);
  const taken = () => changes.take(() => ({}) as RiskState);
  return { roster, taken };
}

function refusal(act: () => unknown): [string, string] {
  try {
    act();
  } catch (error) {
    if (error instanceof EngineRequestError) return [error.kind, error.message];
    throw error;
  }
  throw new Error("not refused");
}

describe("StrategyRoster", () => {
  it("adds a strategy INACTIVE with no activity, recorded as changed; refuses a taken id", () => {
    const { roster, taken } = setup();
    const added = roster.add(command("a"), T0);
    expect(added.snapshot).toMatchObject({
      status: "inactive",
      statusReason: "waiting for market data",
      activity: NO_ACTIVITY,
      createdAt: T0,
    });
    expect(taken()?.strategies).toEqual([added.snapshot]);
    expect(refusal(() => roster.add(command("a"), T0))[0]).toBe("already_exists");
    expect(refusal(() => roster.need("b"))[0]).toBe("not_found");
  });

  it("stamps starts and ends, and refuses its instruments for the cooldown after any end", () => {
    const { roster } = setup();
    const managed = roster.add(command("a"), T0);
    roster.setStatus(managed, "active", "", T0 + 1);
    expect(managed.snapshot.startedAt).toBe(T0 + 1);
    roster.setStatus(managed, "error", "boom", T0 + 2);
    expect(managed.snapshot).toMatchObject({ status: "error", stoppedAt: T0 + 2 });
    roster.setStatus(managed, "error", "again", T0 + 3);
    expect(managed.snapshot.statusReason).toBe("boom");

    const [kind, message] = refusal(() => roster.add(command("b"), T0 + 2 + COOLDOWN_MS - 1));
    expect(kind).toBe("failed_precondition");
    expect(message).toBe("a strategy on BTC-USD stopped 29 s ago: the cooldown ends in 1 s");
    expect(roster.add(command("c", "ETH-USD"), T0 + 3).snapshot.id).toBe("c");
    expect(roster.add(command("b"), T0 + 2 + COOLDOWN_MS).snapshot.id).toBe("b");
  });

  it("takes back a stored strategy's cooldown and whether the stale feed paused it", () => {
    const { roster } = setup();
    const stopped = roster.add(command("old"), T0);
    roster.setStatus(stopped, "stopped", "by request", T0 + 5);
    const restarted = setup().roster;
    restarted.restore(stopped.snapshot, idle());
    restarted.restore(
      {
        ...roster.add(command("p", "ETH-USD"), T0).snapshot,
        status: "paused",
        statusReason: STALE_FEED_REASON,
      },
      idle(),
    );
    expect(restarted.get("p")?.pausedForStaleFeed).toBe(true);
    expect(restarted.get("old")?.pausedForStaleFeed).toBe(false);
    expect(refusal(() => restarted.add(command("new"), T0 + 5 + COOLDOWN_MS - 1))[0]).toBe(
      "failed_precondition",
    );
  });

  it("counts activity and saves a changed memory at most once a second", () => {
    const { roster, taken } = setup();
    const managed = roster.add(command("a"), T0);
    taken();
    roster.count(managed, 1, 2, 100.123456789);
    expect(managed.snapshot.activity).toEqual({
      orderCount: 1,
      fillCount: 2,
      tradedNotional: 100.12345679,
    });
    expect(taken()?.strategies).toEqual([managed.snapshot]);

    const memory = managed.strategy.memory as StrategyMemory & { version: number };
    roster.saveMemory(managed, T0);
    expect(taken()).toBeUndefined();
    memory.version = 1;
    roster.saveMemory(managed, T0);
    expect(managed.snapshot.state).toEqual({ saved: 1 });
    memory.version = 2;
    roster.saveMemory(managed, T0 + 999);
    expect(managed.snapshot.state).toEqual({ saved: 1 });
    roster.saveMemory(managed, T0 + 1_000);
    expect(managed.snapshot.state).toEqual({ saved: 2 });
    expect(taken()?.strategies.map((s) => s.state)).toEqual([{ saved: 2 }]);
  });

  it("lists snapshots most recently created first", () => {
    const { roster } = setup();
    roster.add(command("first"), T0);
    roster.add(command("second", "ETH-USD"), T0 + 1);
    expect(roster.snapshots().map((s) => s.id)).toEqual(["second", "first"]);
    expect([...roster.all()].map((m) => m.snapshot.id)).toEqual(["first", "second"]);
  });
});
