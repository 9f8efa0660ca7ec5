import { flagOf, type SettingsSpec } from "./setting.js";

/**
 * Renders `--help`: usage, then one row per setting with its flag, environment variable,
 * default and description. Secret defaults are never printed.
 */
export function renderHelp(program: string, summary: string, spec: SettingsSpec): string {
  const rows = Object.values(spec).map((setting) => ({
    flag: `--${flagOf(setting)}`,
    env: setting.env,
    fallback:
      setting.default === undefined
        ? ""
        : setting.secret
          ? "<secret>"
          : setting.default === ""
            ? '""'
            : setting.default,
    description: setting.description,
  }));
  const width = (pick: (row: (typeof rows)[number]) => string, title: string) =>
    Math.max(title.length, ...rows.map((row) => pick(row).length));
  const flagWidth = width((r) => r.flag, "FLAG");
  const envWidth = width((r) => r.env, "ENVIRONMENT");
  const defaultWidth = width((r) => r.fallback, "DEFAULT");
  const line = (a: string, b: string, c: string, d: string) =>
    `  ${a.padEnd(flagWidth)}  ${b.padEnd(envWidth)}  ${c.padEnd(defaultWidth)}  ${d}`.trimEnd();
  return [
    `${program} — ${summary}`,
    "",
    `Usage: ${program} [--flag value]...`,
    "Each setting comes from its flag, else its environment variable, else a .env file (ENV_FILE), else its default.",
    "",
    line("FLAG", "ENVIRONMENT", "DEFAULT", "DESCRIPTION"),
    ...rows.map((r) => line(r.flag, r.env, r.fallback, r.description)),
    line("--help, -h", "", "", "Print this help and exit."),
    "",
  ].join("\n");
}
