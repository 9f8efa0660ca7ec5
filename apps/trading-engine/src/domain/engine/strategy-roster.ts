import { round8 } from "../shared/decimal.js";
import type { StrategyType, TradingStrategy } from "../strategies/trading-strategy.js";
import type { ChangeSet } from "./change-set.js";
import { EngineRequestError } from "./engine-request-error.js";
import {
  NO_ACTIVITY,
  type StrategyLimits,
  type StrategySnapshot,
  type StrategyStatus,
} from "./strategy-lifecycle.js";

/** A request to start a strategy. */
export interface StartStrategyCommand {
  readonly id: string;
  readonly name: string;
  readonly type: StrategyType;
  readonly instruments: readonly string[];
  readonly strategy: TradingStrategy;
  readonly limits: StrategyLimits;
}

/** A strategy the engine runs, with the engine's bookkeeping of it. */
export interface ManagedStrategy {
  snapshot: StrategySnapshot;
  readonly strategy: TradingStrategy;
  /** The last client order sequence number used in this run. */
  orderSequence: number;
  /** Paused by the engine for stale market data (resumed by it when data returns). */
  pausedForStaleFeed: boolean;
  /** The strategy's memory version last saved into `snapshot.state`, and when. */
  savedMemory: { version: number; at: number };
}

/** The status reason of a strategy the stale feed paused. */
export const STALE_FEED_REASON = "market data is stale";

/**
 * The least time between two saves of a strategy's memory: a strategy sampling on every quote
 * writes its record at most once a second, and a crash loses at most a second of samples.
 */
const MEMORY_SAVE_INTERVAL_MS = 1_000;

/**
 * The engine's strategies and the cooldown of their instruments. Every change of a strategy's
 * snapshot goes to the change set of the operation under way; any end of a strategy — a stop
 * or an error — starts the cooldown on its instruments, as a restart derives it from
 * `stoppedAt`.
 */
export class StrategyRoster {
  readonly #strategies = new Map<string, ManagedStrategy>();
  readonly #lastStopAt = new Map<string, number>();
  readonly #changes: ChangeSet;
  readonly #cooldownMs: number;

  constructor(changes: ChangeSet, cooldownMs: number) {
    this.#changes = changes;
    this.#cooldownMs = cooldownMs;
  }

  /** Takes back a strategy of an earlier run (a restart), with its memory and cooldown. */
  restore(snapshot: StrategySnapshot, strategy: TradingStrategy): void {
    if (snapshot.state !== undefined) strategy.memory?.restore(snapshot.state);
    this.#strategies.set(snapshot.id, {
      snapshot,
      strategy,
      orderSequence: 0,
      pausedForStaleFeed:
        snapshot.status === "paused" && snapshot.statusReason === STALE_FEED_REASON,
      savedMemory: { version: strategy.memory?.version ?? 0, at: Number.NEGATIVE_INFINITY },
    });
    if (snapshot.stoppedAt === undefined) return;
    for (const instrument of snapshot.instruments) {
      this.#lastStopAt.set(
        instrument,
        Math.max(this.#lastStopAt.get(instrument) ?? 0, snapshot.stoppedAt),
      );
    }
  }

  /**
   * Adds a new strategy, INACTIVE until a quote of one of its instruments arrives. Throws
   * `already_exists` for a taken id, `failed_precondition` within the cooldown after a stop on
   * one of its instruments.
   */
  add(command: StartStrategyCommand, now: number): ManagedStrategy {
    if (this.#strategies.has(command.id)) {
      throw new EngineRequestError("already_exists", `strategy ${command.id} already exists`);
    }
    this.#checkCooldown(command.instruments, now);
    const managed: ManagedStrategy = {
      snapshot: {
        id: command.id,
        name: command.name,
        type: command.type,
        instruments: [...command.instruments],
        parameters: command.strategy.parameters,
        limits: command.limits,
        status: "inactive",
        statusReason: "waiting for market data",
        createdAt: now,
        updatedAt: now,
        activity: NO_ACTIVITY,
      },
      strategy: command.strategy,
      orderSequence: 0,
      pausedForStaleFeed: false,
      savedMemory: {
        version: command.strategy.memory?.version ?? 0,
        at: Number.NEGATIVE_INFINITY,
      },
    };
    this.#strategies.set(command.id, managed);
    this.#changes.strategy(managed.snapshot);
    return managed;
  }

  /** Whether a strategy `id` exists. */
  has(id: string): boolean {
    return this.#strategies.has(id);
  }

  /** The strategy `id`, if it exists. */
  get(id: string): ManagedStrategy | undefined {
    return this.#strategies.get(id);
  }

  /** The strategy `id`; throws `not_found`. */
  need(id: string): ManagedStrategy {
    const managed = this.#strategies.get(id);
    if (managed === undefined) throw new EngineRequestError("not_found", `unknown strategy ${id}`);
    return managed;
  }

  /** Every strategy, in the order they were added. */
  all(): IterableIterator<ManagedStrategy> {
    return this.#strategies.values();
  }

  /** Every strategy's snapshot, most recently created first. */
  snapshots(): StrategySnapshot[] {
    return [...this.#strategies.values()]
      .map((m) => m.snapshot)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Moves a strategy to `status` with `reason` (nothing when it is there already). */
  setStatus(managed: ManagedStrategy, status: StrategyStatus, reason: string, now: number): void {
    if (managed.snapshot.status === status) return;
    const { startedAt: _s, stoppedAt: _t, ...rest } = managed.snapshot;
    const startedAt = status === "active" ? now : managed.snapshot.startedAt;
    const ends = status === "stopped" || status === "error";
    const stoppedAt = ends ? now : managed.snapshot.stoppedAt;
    this.#update(managed, {
      ...rest,
      status,
      statusReason: reason,
      updatedAt: now,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(stoppedAt === undefined ? {} : { stoppedAt }),
    });
    if (ends)
      for (const instrument of managed.snapshot.instruments) this.#lastStopAt.set(instrument, now);
  }

  /** Adds to a strategy's activity. */
  count(managed: ManagedStrategy, orders: number, fills: number, notional: number): void {
    const { activity } = managed.snapshot;
    this.#update(managed, {
      ...managed.snapshot,
      activity: {
        orderCount: activity.orderCount + orders,
        fillCount: activity.fillCount + fills,
        tradedNotional: round8(activity.tradedNotional + notional),
      },
    });
  }

  /**
   * Puts the strategy's memory into its snapshot when it changed, at most every
   * {@link MEMORY_SAVE_INTERVAL_MS}.
   */
  saveMemory(managed: ManagedStrategy, now: number): void {
    const memory = managed.strategy.memory;
    if (memory === undefined || memory.version === managed.savedMemory.version) return;
    if (now - managed.savedMemory.at < MEMORY_SAVE_INTERVAL_MS) return;
    managed.savedMemory = { version: memory.version, at: now };
    this.#update(managed, { ...managed.snapshot, state: memory.save() });
  }

  #update(managed: ManagedStrategy, snapshot: StrategySnapshot): void {
    managed.snapshot = snapshot;
    this.#changes.strategy(snapshot);
  }

  #checkCooldown(instruments: readonly string[], now: number): void {
    for (const instrument of instruments) {
      const stoppedAt = this.#lastStopAt.get(instrument);
      if (stoppedAt !== undefined && now - stoppedAt < this.#cooldownMs) {
        const wait = Math.ceil((this.#cooldownMs - (now - stoppedAt)) / 1000);
        throw new EngineRequestError(
          "failed_precondition",
          `a strategy on ${instrument} stopped ${Math.floor((now - stoppedAt) / 1000)} s ago: the cooldown ends in ${wait} s`,
        );
      }
    }
  }
}
