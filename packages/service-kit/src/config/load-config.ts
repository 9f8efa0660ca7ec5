import { existsSync, readFileSync } from "node:fs";
import { parseArgs, parseEnv } from "node:util";
import { messageOf } from "@tse/error-text";
import { ConfigError } from "./config-error.js";
import { type ConfigValues, flagOf, type SettingsSpec } from "./setting.js";

/** Where configuration is read from; every field defaults to the running process. */
export interface ConfigSources {
  /** Command-line arguments without the node binary and script (`process.argv.slice(2)`). */
  readonly argv?: readonly string[];
  /** The environment (`process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * A dotenv file. Defaults to `ENV_FILE` from `env`, else `.env` in the working directory;
   * a missing default file is fine, a missing explicit one is an error.
   */
  readonly envFile?: string;
}

/** The result of {@link loadConfig}: either the values, or a request for `--help`. */
export type LoadedConfig<S extends SettingsSpec> =
  | { readonly kind: "values"; readonly values: ConfigValues<S>; readonly origins: ConfigOrigins }
  | { readonly kind: "help" };

/** Where each setting's value came from, for the start-up log. */
export type ConfigOrigins = Readonly<Record<string, "flag" | "env" | "env-file" | "default">>;

/**
 * Reads every setting of `spec` from, in order of precedence, command-line flags, the
 * environment, a `.env` file, and the setting's default, and validates it.
 *
 * Returns `{kind: "help"}` when `--help` or `-h` is given. Throws {@link ConfigError} with a
 * one-line message naming the variable and the rule for the first invalid value, an unknown
 * flag, or an unreadable env file. Never reads or writes anything else.
 */
export function loadConfig<S extends SettingsSpec>(
  spec: S,
  sources: ConfigSources = {},
): LoadedConfig<S> {
  const env = sources.env ?? process.env;
  const flags = parseFlags(spec, sources.argv ?? process.argv.slice(2));
  if (flags === "help") return { kind: "help" };
  const fileEnv = readEnvFile(
    sources.envFile ?? env.ENV_FILE,
    sources.envFile !== undefined || env.ENV_FILE !== undefined,
  );

  const values: Record<string, unknown> = {};
  const origins: Record<string, "flag" | "env" | "env-file" | "default"> = {};
  for (const [key, setting] of Object.entries(spec)) {
    const flag = flagOf(setting);
    const candidates = [
      ["flag", flags[flag]],
      ["env", env[setting.env]],
      ["env-file", fileEnv[setting.env]],
      ["default", setting.default],
    ] as const;
    const found = candidates.find(([, raw]) => raw !== undefined);
    if (found === undefined) {
      values[key] = undefined;
      continue;
    }
    const [origin, raw] = found;
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      const rule = parsed.error.issues[0]?.message ?? "is invalid";
      const shown = setting.secret ? "<redacted>" : JSON.stringify(raw);
      throw new ConfigError(
        setting.env,
        `invalid configuration: ${setting.env} (--${flag}) ${rule}, got ${shown}`,
      );
    }
    values[key] = parsed.data;
    origins[key] = origin;
  }
  return { kind: "values", values: values as ConfigValues<S>, origins };
}

function parseFlags(spec: SettingsSpec, argv: readonly string[]): Record<string, string> | "help" {
  const options: Record<string, { type: "string" } | { type: "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const setting of Object.values(spec)) options[flagOf(setting)] = { type: "string" };
  try {
    const { values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
    });
    if (values.help === true) return "help";
    const flags: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === "string") flags[name] = value;
    }
    return flags;
  } catch (error) {
    const reason = messageOf(error);
    throw new ConfigError("argv", `invalid command line: ${reason} (see --help)`);
  }
}

function readEnvFile(
  path: string | undefined,
  explicit: boolean,
): Record<string, string | undefined> {
  const file = path ?? ".env";
  if (!existsSync(file)) {
    if (explicit)
      throw new ConfigError(
        "ENV_FILE",
        `invalid configuration: ENV_FILE ${JSON.stringify(file)} does not exist`,
      );
    return {};
  }
  try {
    return parseEnv(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = messageOf(error);
    throw new ConfigError(
      "ENV_FILE",
      `invalid configuration: cannot read env file ${JSON.stringify(file)}: ${reason}`,
    );
  }
}
