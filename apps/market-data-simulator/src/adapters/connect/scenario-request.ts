import { Code, ConnectError } from "@connectrpc/connect";
import { type ScenarioParameters, ScenarioType } from "@tse/proto/marketdata/v1/market_data_pb";
import { SCENARIO_TYPES } from "../../application/scenario-book.js";
import type {
  ScenarioType as DomainScenarioType,
  ScenarioSpec,
} from "../../domain/scenarios/scenario.js";

/** The defaults and bounds `marketdata.v1.ScenarioParameters` documents. */
export const SCENARIO_PARAMETER_DEFAULTS = Object.freeze({
  intensity: 1,
  durationSeconds: 300,
  maxDurationSeconds: 86_400,
  recoveryFactor: 0.5,
});

/**
 * The domain type of a `marketdata.v1.ScenarioType` (the enum lists the domain's types in
 * order, after UNSPECIFIED). Throws `InvalidArgument` for UNSPECIFIED or an unknown value.
 */
export function scenarioTypeOf(type: ScenarioType): DomainScenarioType {
  const domainType = type === ScenarioType.UNSPECIFIED ? undefined : SCENARIO_TYPES[type - 1];
  if (domainType === undefined) {
    throw new ConnectError(
      `type must be a SCENARIO_TYPE_* value other than UNSPECIFIED (got ${type})`,
      Code.InvalidArgument,
    );
  }
  return domainType;
}

/**
 * The scenario spec of a v1 request: `parameters` with the documented defaults resolved
 * (intensity 1, duration 0 → 300 s, recovery factor 0.5). Throws `InvalidArgument` for a
 * duration over a day; the remaining rules are the domain's (`validateScenarioSpec`), whose
 * `RangeError` the caller maps.
 */
export function scenarioSpecOf(
  type: DomainScenarioType,
  symbols: readonly string[],
  parameters: ScenarioParameters | undefined,
): ScenarioSpec {
  const durationSeconds = parameters?.durationSeconds ?? 0;
  if (durationSeconds > SCENARIO_PARAMETER_DEFAULTS.maxDurationSeconds) {
    throw new ConnectError(
      `parameters.duration_seconds must be at most ${SCENARIO_PARAMETER_DEFAULTS.maxDurationSeconds} (got ${durationSeconds})`,
      Code.InvalidArgument,
    );
  }
  return {
    type,
    symbols,
    intensity: parameters?.intensity ?? SCENARIO_PARAMETER_DEFAULTS.intensity,
    durationSeconds:
      durationSeconds === 0 ? SCENARIO_PARAMETER_DEFAULTS.durationSeconds : durationSeconds,
    recoveryFactor: parameters?.recoveryFactor ?? SCENARIO_PARAMETER_DEFAULTS.recoveryFactor,
    gradualTransition: parameters?.gradualTransition ?? false,
  };
}

/** Runs `build`, turning a domain `RangeError` into `InvalidArgument` with its message. */
export function invalidArgumentOnRangeError<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof RangeError) throw new ConnectError(error.message, Code.InvalidArgument);
    throw error;
  }
}
