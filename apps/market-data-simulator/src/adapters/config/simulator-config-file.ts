import { readFileSync } from "node:fs";
import { messageOf } from "@tse/error-text";
import { ConfigError } from "@tse/service-kit";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  DYNAMICS_LIMITS,
  setUpUniverse,
  TICK_SIZE_LIMITS,
} from "../../application/symbol-universe-setup.js";
import type { SymbolOverrides, SymbolUniverse } from "../../domain/market/symbol-universe.js";

const positive = z.number().positive();
const rate = z.number().min(0).max(DYNAMICS_LIMITS.maxRatePerYear);

/** The stores keep quantities below 10¹⁶; a day's volume stays far below. */
const MAX_BASE_VOLUME_PER_DAY = 1e12;

/**
 * One symbol's overrides. The ranges are the model's (`DYNAMICS_LIMITS`, `TICK_SIZE_LIMITS`);
 * the rules across fields — the initial price within 100 … 10¹² ticks, σ × the turbulent
 * multiplier at most 5 — are checked on the merged parameters by `setUpUniverse`.
 */
const symbolOverridesSchema = z
  .strictObject({
    initialPrice: positive,
    annualVolatility: z.number().min(0).max(DYNAMICS_LIMITS.maxAnnualVolatility),
    annualDrift: z
      .number()
      .min(-DYNAMICS_LIMITS.maxAbsAnnualDrift)
      .max(DYNAMICS_LIMITS.maxAbsAnnualDrift),
    tickSize: z.number().min(TICK_SIZE_LIMITS.min).max(TICK_SIZE_LIMITS.max),
    spreadBps: z.number().min(0).max(10_000),
    baseVolumePerDay: positive.max(MAX_BASE_VOLUME_PER_DAY),
    jumps: z.strictObject({
      intensityPerYear: rate,
      meanLogSize: z
        .number()
        .min(-DYNAMICS_LIMITS.maxAbsJumpMeanLogSize)
        .max(DYNAMICS_LIMITS.maxAbsJumpMeanLogSize),
      logSizeVolatility: z.number().min(0).max(DYNAMICS_LIMITS.maxJumpLogSizeVolatility),
    }),
    meanReversion: z.strictObject({
      speedPerYear: rate,
      anchorPrice: positive.optional(),
    }),
    regime: z.strictObject({
      turbulentVolatilityMultiplier: z
        .number()
        .min(1)
        .max(DYNAMICS_LIMITS.maxTurbulentVolatilityMultiplier),
      calmToTurbulentPerYear: rate,
      turbulentToCalmPerYear: rate,
    }),
  })
  .partial();

/**
 * The shape of a `SIMULATOR_CONFIG` file (JSON or YAML): per-symbol overrides of the built-in
 * parameters, keyed by symbol, and an optional correlation matrix of log-return shocks whose
 * rows and columns follow the order of `SYMBOLS`. Unknown keys are errors, so a typo never
 * silently leaves a default in place.
 */
export const simulatorConfigFileSchema = z.strictObject({
  symbols: z.record(z.string(), symbolOverridesSchema).optional(),
  correlation: z.array(z.array(z.number())).optional(),
});

/** A parsed and validated `SIMULATOR_CONFIG` file. */
export type SimulatorConfigFile = z.infer<typeof simulatorConfigFileSchema>;

/**
 * The symbol universe of `symbols` (the `SYMBOLS` setting) with the overrides and correlation of
 * the file at `configPath` (the `SIMULATOR_CONFIG` setting), when given.
 *
 * Reads only that file. Throws a {@link ConfigError} whose one-line message names `SYMBOLS` for
 * a malformed or repeated symbol, and `SIMULATOR_CONFIG` with the path and the first problem for
 * an unreadable file, invalid JSON/YAML, an unknown key, a value out of range (the ranges are
 * what the price model can take, see `DYNAMICS_LIMITS`), a symbol missing from `SYMBOLS`, or a
 * correlation matrix that is not a valid correlation of those symbols.
 */
export function loadSymbolUniverse(
  symbols: readonly string[],
  configPath: string | undefined,
): SymbolUniverse {
  let universe: SymbolUniverse;
  try {
    universe = setUpUniverse(symbols);
  } catch (error) {
    throw new ConfigError("SYMBOLS", `invalid configuration: SYMBOLS ${messageOf(error)}`);
  }
  if (configPath === undefined || configPath === "") return universe;

  const fail = (problem: string): never => {
    throw new ConfigError(
      "SIMULATOR_CONFIG",
      `invalid configuration: SIMULATOR_CONFIG ${JSON.stringify(configPath)}: ${problem}`,
    );
  };
  let text = "";
  try {
    text = readFileSync(configPath, "utf8");
  } catch (error) {
    fail(`cannot be read (${messageOf(error)})`);
  }
  let document: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both formats.
    document = parseYaml(text);
  } catch (error) {
    fail(`is neither valid JSON nor YAML: ${messageOf(error).split("\n")[0]}`);
  }
  const parsed = simulatorConfigFileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? "" : `${issue.path.join(".")}: `;
    return fail(`${where}${issue?.message ?? "is invalid"}`);
  }
  const file = parsed.data;
  // A parsed document has no `undefined` values (JSON and YAML cannot express one), so zod's
  // `?: T | undefined` fields are the domain's `?: T` ones.
  const overrides = (file.symbols ?? {}) as Readonly<Record<string, SymbolOverrides>>;
  try {
    universe = setUpUniverse(symbols, overrides, file.correlation);
  } catch (error) {
    fail(messageOf(error));
  }
  return universe;
}
