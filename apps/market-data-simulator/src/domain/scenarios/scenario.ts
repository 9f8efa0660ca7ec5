import type { DynamicsOverlay } from "../price/price-process.js";
import { SECONDS_PER_YEAR } from "../price/price-process.js";

/** Every scenario the simulator plays (docs/architecture.md#market-simulation). */
export const SCENARIO_TYPES = Object.freeze([
  "RALLY",
  "CRASH",
  "DIVERGENCE",
  "MEAN_REVERTING",
  "VOLATILITY_SPIKE",
  "CONSOLIDATION",
  "FLASH_CRASH",
  "STALE_FEED",
] as const);

export type ScenarioType = (typeof SCENARIO_TYPES)[number];

/** What a scenario does and for how long. */
export interface ScenarioSpec {
  readonly type: ScenarioType;
  /** The symbols it affects (at least one; DIVERGENCE moves the first up and the others down). */
  readonly symbols: readonly string[];
  /** Scales the effect, in (0, 10]; 1 is a typical move. */
  readonly intensity: number;
  /** Length of the main phase, simulated seconds (> 0). */
  readonly durationSeconds: number;
  /**
   * Share of the move given back after the main phase, in [0, 1], over a recovery phase as long
   * as the main one. Only the directional types (RALLY, CRASH, DIVERGENCE) have one; FLASH_CRASH
   * recovers within its own duration; the others have no move to give back and end with their
   * main phase.
   */
  readonly recoveryFactor: number;
  /** Ramp the effect in and out over the first and last quarter instead of switching it. */
  readonly gradualTransition: boolean;
}

/** Validation limits of {@link ScenarioSpec}. */
export const SCENARIO_LIMITS = Object.freeze({
  maxIntensity: 10,
  maxDurationSeconds: 7 * 86_400,
});

/**
 * Bounds of the combined effect of every scenario running on one symbol ({@link combinedEffect}),
 * so stacked scenarios cannot ask more of the price process than it can take:
 * - `maxAbsDriftShift`: the drift shifts together move the log price by at most ln 10 per
 *   simulated second either way (at most tenfold up or down in a second). Every single
 *   scenario of 4 s or longer stays below it at any intensity; shorter ones at high intensity,
 *   and stacks, move at the bound and reach less than their target.
 * - the volatility multipliers together stay within [1/11, 21]: from what one CONSOLIDATION to
 *   what one VOLATILITY_SPIKE may ask at the highest intensity. Three spikes at intensity 10
 *   would otherwise multiply volatility by 9 261, an Itô drag that takes any price to zero in
 *   seconds.
 */
export const SCENARIO_OVERLAY_LIMITS = Object.freeze({
  maxAbsDriftShift: Math.LN10 * SECONDS_PER_YEAR,
  minVolatilityMultiplier: 1 / (1 + SCENARIO_LIMITS.maxIntensity),
  maxVolatilityMultiplier: 1 + 2 * SCENARIO_LIMITS.maxIntensity,
});

/** A scenario as it runs: its spec, where it started, and each symbol's price at the start. */
export interface RunningScenario {
  readonly id: string;
  readonly spec: ScenarioSpec;
  /** Simulated epoch ms. */
  readonly startedAt: number;
  readonly startPrices: Readonly<Record<string, number>>;
}

/** The phase of a scenario at a moment. */
export type ScenarioPhase = "main" | "recovery" | "ended";

/** What a scenario asks of one symbol at a moment. */
export interface ScenarioEffect {
  readonly overlay?: DynamicsOverlay;
  /** STALE_FEED: the symbol publishes no updates. */
  readonly stale?: boolean;
}

/**
 * Checks a spec; throws a `RangeError` naming the field and the rule (the API maps it to
 * `InvalidArgument`).
 */
export function validateScenarioSpec(spec: ScenarioSpec): ScenarioSpec {
  if (!SCENARIO_TYPES.includes(spec.type)) {
    throw new RangeError(
      `type must be one of ${SCENARIO_TYPES.join(", ")} (got ${String(spec.type)})`,
    );
  }
  if (spec.symbols.length === 0) throw new RangeError("symbols must name at least one symbol");
  if (spec.type === "DIVERGENCE" && spec.symbols.length < 2) {
    throw new RangeError("symbols must name at least two symbols for DIVERGENCE");
  }
  if (!(spec.intensity > 0 && spec.intensity <= SCENARIO_LIMITS.maxIntensity)) {
    throw new RangeError(
      `intensity must be in (0, ${SCENARIO_LIMITS.maxIntensity}] (got ${spec.intensity})`,
    );
  }
  if (!(spec.durationSeconds > 0 && spec.durationSeconds <= SCENARIO_LIMITS.maxDurationSeconds)) {
    throw new RangeError(
      `durationSeconds must be in (0, ${SCENARIO_LIMITS.maxDurationSeconds}] (got ${spec.durationSeconds})`,
    );
  }
  if (!(spec.recoveryFactor >= 0 && spec.recoveryFactor <= 1)) {
    throw new RangeError(`recoveryFactor must be in [0, 1] (got ${spec.recoveryFactor})`);
  }
  return spec;
}

/** The total log move of the main phase of a directional scenario at `intensity`. */
export function targetLogMove(type: ScenarioType, intensity: number): number {
  switch (type) {
    case "RALLY":
      return Math.log(1 + 0.05 * intensity);
    case "CRASH":
      return Math.log(1 - Math.min(0.9, 0.08 * intensity));
    case "FLASH_CRASH":
      return Math.log(1 - Math.min(0.9, 0.06 * intensity));
    case "DIVERGENCE":
      return Math.log(1 + 0.03 * intensity);
    default:
      return 0;
  }
}

/**
 * Whether `spec` has a recovery phase after its main one: a directional move (RALLY, CRASH,
 * DIVERGENCE) with a recovery factor above 0 — the only scenarios with something to give back.
 * FLASH_CRASH recovers inside its main phase; MEAN_REVERTING, VOLATILITY_SPIKE, CONSOLIDATION
 * and STALE_FEED end with theirs, so no scenario reports recovering while doing nothing.
 */
export function hasRecoveryPhase(spec: Pick<ScenarioSpec, "type" | "recoveryFactor">): boolean {
  return (
    (spec.type === "RALLY" || spec.type === "CRASH" || spec.type === "DIVERGENCE") &&
    spec.recoveryFactor > 0
  );
}

/** The phase of `scenario` at simulated time `now` (epoch ms). */
export function scenarioPhase(scenario: RunningScenario, now: number): ScenarioPhase {
  const elapsed = (now - scenario.startedAt) / 1000;
  const { durationSeconds } = scenario.spec;
  if (elapsed < durationSeconds) return "main";
  if (hasRecoveryPhase(scenario.spec) && elapsed < 2 * durationSeconds) return "recovery";
  return "ended";
}

/**
 * What `scenario` does to `symbol` at simulated time `now` (epoch ms): a drift shift that moves
 * the log price by {@link targetLogMove} over the main phase (and gives back `recoveryFactor`
 * of it over the recovery phase), a volatility multiplier, a pull toward the start price, or a
 * stale feed. `undefined` when the symbol is not affected or the scenario has ended.
 *
 * With `gradualTransition`, the effect ramps linearly in over the first quarter and out over
 * the last quarter of the main phase, scaled so the total move is the same as without.
 */
export function scenarioEffect(
  scenario: RunningScenario,
  symbol: string,
  now: number,
): ScenarioEffect | undefined {
  const { spec } = scenario;
  const position = spec.symbols.indexOf(symbol);
  if (position < 0) return undefined;
  const phase = scenarioPhase(scenario, now);
  if (phase === "ended") return undefined;
  const elapsed = (now - scenario.startedAt) / 1000;
  const durationYears = spec.durationSeconds / SECONDS_PER_YEAR;
  const weight = phase === "main" ? rampWeight(spec, elapsed) : 1;
  const shape = phase === "main" ? rampShape(spec, elapsed) : 1;
  const intensity = spec.intensity;
  switch (spec.type) {
    case "RALLY":
    case "CRASH":
    case "DIVERGENCE": {
      const sign = spec.type === "DIVERGENCE" && position > 0 ? -1 : 1;
      const drift = (sign * targetLogMove(spec.type, intensity)) / durationYears;
      return {
        overlay: { driftShift: phase === "main" ? drift * weight : -drift * spec.recoveryFactor },
      };
    }
    case "FLASH_CRASH": {
      // The drop takes the first tenth; the recovery, recoveryFactor of it, the rest.
      const move = targetLogMove("FLASH_CRASH", intensity);
      const dropSeconds = spec.durationSeconds / 10;
      if (elapsed < dropSeconds) {
        return {
          overlay: {
            driftShift: move / (dropSeconds / SECONDS_PER_YEAR),
            volatilityMultiplier: 1 + intensity,
          },
        };
      }
      const recoveryYears = (spec.durationSeconds - dropSeconds) / SECONDS_PER_YEAR;
      return { overlay: { driftShift: (-move * spec.recoveryFactor) / recoveryYears } };
    }
    case "VOLATILITY_SPIKE":
      return phase === "main"
        ? { overlay: { volatilityMultiplier: 1 + 2 * intensity * shape } }
        : undefined;
    case "CONSOLIDATION":
    case "MEAN_REVERTING": {
      if (phase !== "main") return undefined;
      const anchor = scenario.startPrices[symbol];
      // The gap to the start price halves in a twentieth of the duration at intensity 1.
      const speed = ((Math.LN2 * 20) / durationYears) * intensity * shape;
      const overlay: DynamicsOverlay = {
        reversionSpeedPerYear: speed,
        ...(anchor === undefined ? {} : { reversionAnchor: anchor }),
        ...(spec.type === "CONSOLIDATION"
          ? { volatilityMultiplier: 1 / (1 + intensity * shape) }
          : {}),
      };
      return { overlay };
    }
    case "STALE_FEED":
      return phase === "main" ? { stale: true } : undefined;
  }
}

/**
 * How far the effect is switched on `elapsedSeconds` into the main phase, in [0, 1]: 1 throughout
 * without a gradual transition; with one, a trapezoid rising over the first quarter and falling
 * over the last.
 */
export function rampShape(spec: ScenarioSpec, elapsedSeconds: number): number {
  if (!spec.gradualTransition) return 1;
  const x = elapsedSeconds / spec.durationSeconds;
  return Math.max(0, x < 0.25 ? x / 0.25 : x > 0.75 ? (1 - x) / 0.25 : 1);
}

/**
 * {@link rampShape} scaled for drifts: with a gradual transition the trapezoid averages 3/4, so
 * it is scaled by 4/3 and the total move over the main phase stays the same.
 */
export function rampWeight(spec: ScenarioSpec, elapsedSeconds: number): number {
  return spec.gradualTransition ? (4 / 3) * rampShape(spec, elapsedSeconds) : 1;
}

/**
 * The combined effect of every running scenario on `symbol` at `now`: drift shifts add up,
 * volatility multipliers multiply, each within {@link SCENARIO_OVERLAY_LIMITS}; the
 * latest-started reversion wins, and any stale feed makes the symbol stale. `undefined` when
 * none applies.
 */
export function combinedEffect(
  scenarios: readonly RunningScenario[],
  symbol: string,
  now: number,
): ScenarioEffect | undefined {
  let driftShift = 0;
  let volatilityMultiplier = 1;
  let reversion: Pick<DynamicsOverlay, "reversionSpeedPerYear" | "reversionAnchor"> = {};
  let stale = false;
  let any = false;
  for (const scenario of scenarios) {
    const effect = scenarioEffect(scenario, symbol, now);
    if (effect === undefined) continue;
    any = true;
    stale ||= effect.stale === true;
    const overlay = effect.overlay;
    if (overlay === undefined) continue;
    driftShift += overlay.driftShift ?? 0;
    volatilityMultiplier *= overlay.volatilityMultiplier ?? 1;
    if (overlay.reversionSpeedPerYear !== undefined) {
      reversion = {
        reversionSpeedPerYear: overlay.reversionSpeedPerYear,
        ...(overlay.reversionAnchor === undefined
          ? {}
          : { reversionAnchor: overlay.reversionAnchor }),
      };
    }
  }
  if (!any) return undefined;
  const limits = SCENARIO_OVERLAY_LIMITS;
  return {
    overlay: {
      driftShift: clamp(driftShift, -limits.maxAbsDriftShift, limits.maxAbsDriftShift),
      volatilityMultiplier: clamp(
        volatilityMultiplier,
        limits.minVolatilityMultiplier,
        limits.maxVolatilityMultiplier,
      ),
      ...reversion,
    },
    stale,
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
