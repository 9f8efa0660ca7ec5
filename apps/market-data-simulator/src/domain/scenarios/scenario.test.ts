import { describe, expect, it } from "vitest";
import { PriceProcess, SECONDS_PER_YEAR, type SymbolDynamics } from "../price/price-process.js";
import {
  combinedEffect,
  hasRecoveryPhase,
  type RunningScenario,
  type ScenarioSpec,
  scenarioEffect,
  scenarioPhase,
  targetLogMove,
  validateScenarioSpec,
} from "./scenario.js";

const T0 = Date.UTC(2026, 10, 23);
const STEP_SECONDS = 1;
const btc: SymbolDynamics = {
  symbol: "BTC-USD",
  initialPrice: 65_000,
  annualVolatility: 0.6,
  annualDrift: 0,
};
const eth: SymbolDynamics = { ...btc, symbol: "ETH-USD", initialPrice: 3_200 };

function spec(overrides: Partial<ScenarioSpec>): ScenarioSpec {
  return {
    type: "RALLY",
    symbols: ["BTC-USD"],
    intensity: 1,
    durationSeconds: 600,
    recoveryFactor: 0,
    gradualTransition: false,
    ...overrides,
  };
}

/**
 * Runs the same seeded market with and without `scenario` for `seconds`, and returns the log
 * ratio of each symbol's scenario price to its baseline price after every step.
 */
function logRatios(scenarioSpec: ScenarioSpec, seconds: number, symbols = [btc, eth]): number[][] {
  const base = new PriceProcess(symbols, { seed: 17 });
  const played = new PriceProcess(symbols, { seed: 17 });
  const startPrices = Object.fromEntries(symbols.map((s) => [s.symbol, s.initialPrice]));
  const scenario: RunningScenario = { id: "s", spec: scenarioSpec, startedAt: T0, startPrices };
  const ratios: number[][] = [];
  for (let t = 0; t < seconds; t += STEP_SECONDS) {
    const now = T0 + t * 1000;
    const basePrices = base.step(STEP_SECONDS);
    const prices = played.step(
      STEP_SECONDS,
      (i) => scenarioEffect(scenario, symbols[i]?.symbol ?? "", now)?.overlay,
    );
    ratios.push(prices.map((price, i) => Math.log(price / (basePrices[i] as number))));
  }
  return ratios;
}

describe("directional scenarios", () => {
  it("RALLY moves the price up by its target over the duration, and intensity scales it", () => {
    const one = logRatios(spec({ intensity: 1 }), 600);
    const two = logRatios(spec({ intensity: 2 }), 600);
    expect(one.at(-1)?.[0]).toBeCloseTo(Math.log(1.05), 9);
    expect(two.at(-1)?.[0]).toBeCloseTo(Math.log(1.1), 9);
    // Other symbols are untouched.
    expect(one.at(-1)?.[1]).toBe(0);
  });

  it("CRASH moves it down; after the main phase the effect stops", () => {
    const ratios = logRatios(spec({ type: "CRASH", intensity: 2 }), 900);
    expect(ratios[599]?.[0]).toBeCloseTo(Math.log(0.84), 9);
    expect(ratios[899]?.[0]).toBeCloseTo(Math.log(0.84), 9);
  });

  it("recovery gives back its share of the move over a phase as long as the main one", () => {
    const ratios = logRatios(spec({ type: "CRASH", recoveryFactor: 0.5 }), 1_300);
    expect(ratios[599]?.[0]).toBeCloseTo(Math.log(0.92), 9);
    expect(ratios[1_199]?.[0]).toBeCloseTo(0.5 * Math.log(0.92), 9);
    expect(ratios[1_299]?.[0]).toBeCloseTo(0.5 * Math.log(0.92), 9);
  });

  it("gradual transition reaches the same move, more slowly at first", () => {
    const abrupt = logRatios(spec({}), 600);
    const gradual = logRatios(spec({ gradualTransition: true }), 600);
    expect(gradual.at(-1)?.[0]).toBeCloseTo(abrupt.at(-1)?.[0] as number, 3);
    expect(gradual[100]?.[0] as number).toBeLessThan((abrupt[100]?.[0] as number) / 2);
  });

  it("DIVERGENCE moves the first symbol up and the others down", () => {
    const ratios = logRatios(
      spec({ type: "DIVERGENCE", symbols: ["BTC-USD", "ETH-USD"], intensity: 3 }),
      600,
    );
    expect(ratios.at(-1)?.[0]).toBeCloseTo(Math.log(1.09), 9);
    expect(ratios.at(-1)?.[1]).toBeCloseTo(-Math.log(1.09), 9);
  });

  it("FLASH_CRASH drops within a tenth of its duration and recovers by its end", () => {
    const ratios = logRatios(spec({ type: "FLASH_CRASH", intensity: 2, recoveryFactor: 1 }), 600);
    expect(Math.abs((ratios[59]?.[0] as number) - Math.log(0.88))).toBeLessThan(0.01);
    expect(Math.abs(ratios.at(-1)?.[0] as number)).toBeLessThan(0.01);
  });
});

describe("volatility and reversion scenarios", () => {
  const wild: SymbolDynamics = { ...btc, annualVolatility: 2 };

  function returns(
    scenarioSpec: ScenarioSpec,
    from: number,
    to: number,
  ): { played: number[]; base: number[] } {
    const base = new PriceProcess([wild], { seed: 3 });
    const played = new PriceProcess([wild], { seed: 3 });
    const scenario: RunningScenario = {
      id: "v",
      spec: scenarioSpec,
      startedAt: T0,
      startPrices: { "BTC-USD": 65_000 },
    };
    const out = { played: [] as number[], base: [] as number[] };
    let previous = [65_000, 65_000];
    for (let t = 0; t < to; t++) {
      const b = base.step(1)[0] as number;
      const p = played.step(
        1,
        () => scenarioEffect(scenario, "BTC-USD", T0 + t * 1000)?.overlay,
      )[0] as number;
      if (t >= from) {
        out.base.push(Math.log(b / (previous[0] as number)));
        out.played.push(Math.log(p / (previous[1] as number)));
      }
      previous = [b, p];
    }
    return out;
  }
  const std = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  };

  it("VOLATILITY_SPIKE multiplies volatility by 1 + 2 × intensity while it runs, then stops", () => {
    const during = returns(
      spec({ type: "VOLATILITY_SPIKE", intensity: 2, durationSeconds: 3_600 }),
      0,
      3_600,
    );
    expect(std(during.played) / std(during.base)).toBeCloseTo(5, 1);
    const after = returns(
      spec({ type: "VOLATILITY_SPIKE", intensity: 2, durationSeconds: 3_600 }),
      3_600,
      7_200,
    );
    expect(std(after.played) / std(after.base)).toBeCloseTo(1, 6);
  });

  it("MEAN_REVERTING and CONSOLIDATION hold the price near where the scenario started", () => {
    const wander = (type: "MEAN_REVERTING" | "CONSOLIDATION") => {
      const { played, base } = returns(
        spec({ type, intensity: 2, durationSeconds: 86_400 }),
        0,
        86_400,
      );
      const path = (xs: number[]) => {
        let level = 0;
        let worst = 0;
        for (const x of xs) {
          level += x;
          worst = Math.max(worst, Math.abs(level));
        }
        return worst;
      };
      return { played: path(played), base: path(base) };
    };
    for (const type of ["MEAN_REVERTING", "CONSOLIDATION"] as const) {
      const result = wander(type);
      expect(result.played).toBeLessThan(result.base / 3);
    }
  });

  it("STALE_FEED marks the symbol stale during its main phase only", () => {
    const scenario: RunningScenario = {
      id: "x",
      spec: spec({ type: "STALE_FEED" }),
      startedAt: T0,
      startPrices: {},
    };
    expect(scenarioEffect(scenario, "BTC-USD", T0 + 1_000)).toEqual({ stale: true });
    expect(scenarioEffect(scenario, "ETH-USD", T0 + 1_000)).toBeUndefined();
    expect(scenarioEffect(scenario, "BTC-USD", T0 + 601_000)).toBeUndefined();
  });
});

describe("scenario bookkeeping", () => {
  it("reports phases: main, recovery when asked for, ended", () => {
    const running = (recoveryFactor: number): RunningScenario => ({
      id: "p",
      spec: spec({ recoveryFactor }),
      startedAt: T0,
      startPrices: {},
    });
    expect(scenarioPhase(running(0.5), T0 + 599_000)).toBe("main");
    expect(scenarioPhase(running(0.5), T0 + 700_000)).toBe("recovery");
    expect(scenarioPhase(running(0), T0 + 700_000)).toBe("ended");
    expect(scenarioPhase(running(0.5), T0 + 1_200_000)).toBe("ended");
  });

  it("has a recovery phase only where it does something: the directional types", () => {
    const after = (type: ScenarioSpec["type"]) => {
      const running: RunningScenario = {
        id: "r",
        spec: spec({
          type,
          recoveryFactor: 0.5,
          symbols: type === "DIVERGENCE" ? ["BTC-USD", "ETH-USD"] : ["BTC-USD"],
        }),
        startedAt: T0,
        startPrices: { "BTC-USD": 65_000, "ETH-USD": 3_200 },
      };
      const now = T0 + 700_000;
      return {
        phase: scenarioPhase(running, now),
        effect: scenarioEffect(running, "BTC-USD", now),
      };
    };
    for (const type of ["RALLY", "CRASH", "DIVERGENCE"] as const) {
      const { phase, effect } = after(type);
      expect(phase).toBe("recovery");
      expect(effect?.overlay?.driftShift).not.toBe(0);
    }
    // Nothing to give back: no recovery phase, so never RECOVERING while doing nothing.
    for (const type of [
      "MEAN_REVERTING",
      "VOLATILITY_SPIKE",
      "CONSOLIDATION",
      "STALE_FEED",
      "FLASH_CRASH",
    ] as const) {
      expect(after(type)).toEqual({ phase: "ended", effect: undefined });
      expect(hasRecoveryPhase(spec({ type, recoveryFactor: 0.5 }))).toBe(false);
    }
    expect(hasRecoveryPhase(spec({ type: "CRASH", recoveryFactor: 0 }))).toBe(false);
  });

  it("combines running scenarios: drifts add, volatility multipliers multiply, stale wins", () => {
    const rally: RunningScenario = { id: "a", spec: spec({}), startedAt: T0, startPrices: {} };
    const spike: RunningScenario = {
      id: "b",
      spec: spec({ type: "VOLATILITY_SPIKE", intensity: 1 }),
      startedAt: T0,
      startPrices: {},
    };
    const stale: RunningScenario = {
      id: "c",
      spec: spec({ type: "STALE_FEED" }),
      startedAt: T0,
      startPrices: {},
    };
    const now = T0 + 1_000;
    const effect = combinedEffect([rally, rally, spike, stale], "BTC-USD", now);
    expect(effect?.overlay?.driftShift).toBeCloseTo(
      2 * (scenarioEffect(rally, "BTC-USD", now)?.overlay?.driftShift ?? 0),
      6,
    );
    expect(effect?.overlay?.volatilityMultiplier).toBe(3);
    expect(effect?.stale).toBe(true);
    expect(combinedEffect([rally], "ETH-USD", now)).toBeUndefined();
  });

  it("bounds what stacked scenarios ask: ln 10 of drift a second, volatility × [1/11, 21]", () => {
    const started = (overrides: Partial<ScenarioSpec>, id: string): RunningScenario => ({
      id,
      spec: spec(overrides),
      startedAt: T0,
      startPrices: { "BTC-USD": 65_000 },
    });
    const now = T0 + 1_000;
    // Issue 19: twelve CRASHes of intensity 10 over 5 s ask for −3.9 of log price a second.
    const crashes = Array.from({ length: 12 }, (_, i) =>
      started({ type: "CRASH", intensity: 10, durationSeconds: 5 }, `c${i}`),
    );
    const crash = combinedEffect(crashes, "BTC-USD", now)?.overlay?.driftShift ?? 0;
    expect(crash / SECONDS_PER_YEAR).toBeCloseTo(-Math.LN10, 9);
    // One such CRASH alone is below the bound and untouched.
    const one = crashes[0] as RunningScenario;
    expect(combinedEffect([one], "BTC-USD", now)?.overlay?.driftShift).toBe(
      scenarioEffect(one, "BTC-USD", now)?.overlay?.driftShift,
    );
    // Three VOLATILITY_SPIKEs of intensity 10 would multiply volatility by 21³ = 9 261.
    const spikes = Array.from({ length: 3 }, (_, i) =>
      started({ type: "VOLATILITY_SPIKE", intensity: 10 }, `v${i}`),
    );
    expect(combinedEffect(spikes, "BTC-USD", now)?.overlay?.volatilityMultiplier).toBe(21);
    const calm = Array.from({ length: 3 }, (_, i) =>
      started({ type: "CONSOLIDATION", intensity: 10 }, `q${i}`),
    );
    expect(combinedEffect(calm, "BTC-USD", now)?.overlay?.volatilityMultiplier).toBeCloseTo(
      1 / 11,
      12,
    );
  });

  it("refuses specs out of range, naming the field", () => {
    expect(() => validateScenarioSpec(spec({ intensity: 0 }))).toThrow(/intensity/);
    expect(() => validateScenarioSpec(spec({ intensity: 11 }))).toThrow(/intensity/);
    expect(() => validateScenarioSpec(spec({ durationSeconds: -1 }))).toThrow(/durationSeconds/);
    expect(() => validateScenarioSpec(spec({ recoveryFactor: 1.5 }))).toThrow(/recoveryFactor/);
    expect(() => validateScenarioSpec(spec({ symbols: [] }))).toThrow(/symbols/);
    expect(() => validateScenarioSpec(spec({ type: "DIVERGENCE" }))).toThrow(/two symbols/);
    expect(() => validateScenarioSpec(spec({ type: "SIDEWAYS" as "RALLY" }))).toThrow(/type/);
    expect(targetLogMove("CRASH", 100)).toBeCloseTo(Math.log(0.1), 9);
  });
});
