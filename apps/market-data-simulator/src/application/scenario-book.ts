import type { MarketSimulator } from "../domain/engine/market-simulator.js";
import { RingBuffer } from "../domain/market/ring-buffer.js";
import {
  type RunningScenario,
  type ScenarioSpec,
  scenarioPhase,
} from "../domain/scenarios/scenario.js";

/** The scenario types every API offers (in the order their enums list them), and which recover. */
export { hasRecoveryPhase, SCENARIO_TYPES } from "../domain/scenarios/scenario.js";

/** Where a scenario stands. */
export type ScenarioStatus = "active" | "recovering" | "completed" | "stopped";

/** A scenario started through the book, with its status now. */
export interface ScenarioEntry {
  readonly scenario: RunningScenario;
  readonly status: ScenarioStatus;
  /** Simulated epoch ms it was stopped at; only when `stopped`. */
  readonly stoppedAt?: number;
}

/** Limits of a {@link ScenarioBook}. */
export interface ScenarioBookOptions {
  /** `MAX_ACTIVE_SCENARIOS`: scenarios running at once (≥ 1). */
  readonly maxActive: number;
  /** Ended scenarios kept for the listing, the most recent ones (default 200). */
  readonly endedKept?: number;
}

/** Thrown by {@link ScenarioBook.start} when the maximum of active scenarios runs already. */
export class ScenarioLimitError extends Error {
  override readonly name = "ScenarioLimitError";
}

interface BookRecord {
  readonly scenario: RunningScenario;
  /** Start order, for newest-first listings. */
  readonly order: number;
  /** Set once ended: its final status. */
  ended?: { readonly status: "completed" | "stopped"; readonly stoppedAt?: number };
}

/**
 * The scenarios of the live market, as every API sees them (StartScenario, StopScenario,
 * ListScenarios): starts them on the simulator within a maximum of active ones, stops them,
 * and reports each one's status from what the market does with it (ACTIVE in its main phase,
 * RECOVERING in a recovery phase, COMPLETED once over, STOPPED when stopped).
 *
 * Contract: every running scenario can be listed and stopped, however many there are (at most
 * `maxActive`); ended ones are kept for the listing up to `endedKept`, the most recent ones;
 * a refused start changes nothing.
 */
export class ScenarioBook {
  readonly #simulator: MarketSimulator;
  readonly #maxActive: number;
  /** Started and not yet seen to end, oldest first. */
  readonly #running = new Map<string, BookRecord>();
  readonly #ended: RingBuffer<BookRecord>;
  #started = 0;

  constructor(simulator: MarketSimulator, options: ScenarioBookOptions) {
    if (!Number.isInteger(options.maxActive) || options.maxActive < 1) {
      throw new RangeError(`maxActive must be an integer ≥ 1 (got ${options.maxActive})`);
    }
    this.#simulator = simulator;
    this.#maxActive = options.maxActive;
    this.#ended = new RingBuffer(options.endedKept ?? 200);
  }

  /**
   * Starts `spec` on the live market now. Throws a {@link ScenarioLimitError} when `maxActive`
   * scenarios run already, and the domain's `RangeError` for an invalid spec or an unknown
   * symbol; either way nothing is started.
   */
  start(spec: ScenarioSpec): ScenarioEntry {
    this.#sweep();
    if (this.#running.size >= this.#maxActive) {
      throw new ScenarioLimitError(
        `at most ${this.#maxActive} scenarios run at once (MAX_ACTIVE_SCENARIOS): stop one or wait for one to end`,
      );
    }
    const scenario = this.#simulator.startScenario(spec);
    this.#started += 1;
    const record: BookRecord = { scenario, order: this.#started };
    this.#running.set(scenario.id, record);
    return this.#entryOf(record);
  }

  /**
   * Stops scenario `id` at once (no recovery phase). An ended one is returned unchanged;
   * `undefined` when the id is unknown (or ended too long ago to be kept).
   */
  stop(id: string): ScenarioEntry | undefined {
    this.#sweep();
    const record = this.#running.get(id);
    if (record === undefined) return this.get(id);
    this.#simulator.stopScenario(id);
    this.#end(record, { status: "stopped", stoppedAt: this.#simulator.now });
    return this.#entryOf(record);
  }

  /** Scenario `id` now, or `undefined` when unknown (or ended too long ago to be kept). */
  get(id: string): ScenarioEntry | undefined {
    this.#sweep();
    const record = this.#running.get(id) ?? this.#ended.latest().find((r) => r.scenario.id === id);
    return record === undefined ? undefined : this.#entryOf(record);
  }

  /** The running scenarios and, with `includeEnded`, the kept ended ones: newest first. */
  list(options: { readonly includeEnded: boolean }): ScenarioEntry[] {
    this.#sweep();
    const records = [...this.#running.values()];
    if (options.includeEnded) records.push(...this.#ended.latest());
    return records.sort((a, b) => b.order - a.order).map((record) => this.#entryOf(record));
  }

  /** Moves the scenarios the simulator has finished with to the ended ones. */
  #sweep(): void {
    if (this.#running.size === 0) return;
    const live = new Set(this.#simulator.runningScenarios().map((scenario) => scenario.id));
    for (const record of this.#running.values()) {
      if (!live.has(record.scenario.id)) this.#end(record, { status: "completed" });
    }
  }

  #end(record: BookRecord, ended: NonNullable<BookRecord["ended"]>): void {
    record.ended = ended;
    this.#running.delete(record.scenario.id);
    this.#ended.push(record);
  }

  #entryOf(record: BookRecord): ScenarioEntry {
    if (record.ended !== undefined) {
      const { status, stoppedAt } = record.ended;
      return {
        scenario: record.scenario,
        status,
        ...(stoppedAt === undefined ? {} : { stoppedAt }),
      };
    }
    const phase = scenarioPhase(record.scenario, this.#simulator.now);
    return {
      scenario: record.scenario,
      status: phase === "main" ? "active" : phase === "recovery" ? "recovering" : "completed",
    };
  }
}
