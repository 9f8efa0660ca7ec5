import { describe, expect, it } from "vitest";
import { MarketSimulator } from "../domain/engine/market-simulator.js";
import { buildUniverse } from "../domain/market/symbol-universe.js";
import type { ScenarioSpec } from "../domain/scenarios/scenario.js";
import { ScenarioBook, ScenarioLimitError } from "./scenario-book.js";

const T0 = Date.UTC(2026, 10, 23);

function setup(maxActive: number, endedKept = 200) {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD", "SOL-USD"]),
    seed: 3,
    startTime: T0,
  });
  const book = new ScenarioBook(simulator, { maxActive, endedKept });
  const advance = (seconds: number) => {
    for (let i = 0; i < seconds; i++) simulator.advance(simulator.now + 1_000);
  };
  return { simulator, book, advance };
}

function spec(overrides: Partial<ScenarioSpec> = {}): ScenarioSpec {
  return {
    type: "RALLY",
    symbols: ["SOL-USD"],
    intensity: 1,
    durationSeconds: 60,
    recoveryFactor: 0,
    gradualTransition: false,
    ...overrides,
  };
}

describe("ScenarioBook", () => {
  it("refuses a scenario beyond the maximum of active ones, and takes one again when one ends", () => {
    const { book, simulator, advance } = setup(3);
    book.start(spec({ durationSeconds: 10 }));
    book.start(spec());
    book.start(spec());
    expect(() => book.start(spec())).toThrow(ScenarioLimitError);
    expect(() => book.start(spec())).toThrow(/at most 3 scenarios run at once/);
    // A refusal changes nothing.
    expect(simulator.runningScenarios()).toHaveLength(3);
    advance(11);
    expect(book.start(spec()).status).toBe("active");
    expect(() => book.start(spec())).toThrow(ScenarioLimitError);
    const [newest] = book.list({ includeEnded: false });
    book.stop(newest?.scenario.id ?? "");
    expect(book.start(spec()).status).toBe("active");
  });

  it("lists and stops every running scenario, however many (issue 19: 300 ran, 200 listed)", () => {
    const { book, simulator } = setup(300);
    const started = Array.from({ length: 300 }, () => book.start(spec()).scenario.id);
    const listed = book.list({ includeEnded: false });
    expect(listed).toHaveLength(300);
    // Newest first.
    expect(listed.map((entry) => entry.scenario.id)).toEqual([...started].reverse());
    expect(book.get("scenario-1")?.status).toBe("active");
    const stopped = book.stop("scenario-1");
    expect(stopped?.status).toBe("stopped");
    expect(stopped?.stoppedAt).toBe(simulator.now);
    expect(simulator.runningScenarios().some((s) => s.id === "scenario-1")).toBe(false);
    expect(book.list({ includeEnded: false })).toHaveLength(299);
    // Stopping it again changes nothing and returns it.
    expect(book.stop("scenario-1")).toEqual(stopped);
    expect(book.stop("scenario-999")).toBeUndefined();
  });

  it("reports the phase the market is in: active, recovering, completed", () => {
    const { book, advance } = setup(10);
    const crash = book.start(spec({ type: "CRASH", recoveryFactor: 0.5 }));
    const spike = book.start(spec({ type: "VOLATILITY_SPIKE", recoveryFactor: 0.5 }));
    advance(90);
    expect(book.get(crash.scenario.id)?.status).toBe("recovering");
    expect(book.get(spike.scenario.id)?.status).toBe("completed");
    advance(40);
    expect(book.get(crash.scenario.id)?.status).toBe("completed");
    expect(book.list({ includeEnded: false })).toEqual([]);
  });

  it("keeps a bounded number of ended scenarios for the listing, newest first", () => {
    const { book, advance } = setup(10, 5);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push(book.start(spec({ durationSeconds: 1 })).scenario.id);
      advance(2);
    }
    const running = book.start(spec()).scenario.id;
    const listed = book.list({ includeEnded: true });
    expect(listed.map((entry) => entry.scenario.id)).toEqual([running, ...ids.slice(3).reverse()]);
    expect(listed.slice(1).every((entry) => entry.status === "completed")).toBe(true);
    expect(book.get(ids[0] ?? "")).toBeUndefined();
  });

  it("passes the domain's refusals on and records nothing for them", () => {
    const { book } = setup(2);
    expect(() => book.start(spec({ intensity: 11 }))).toThrow(RangeError);
    expect(() => book.start(spec({ symbols: ["XRP-USD"] }))).toThrow(/not simulated/);
    expect(book.list({ includeEnded: true })).toEqual([]);
  });
});
