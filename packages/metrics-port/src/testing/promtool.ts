import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is `packages/metrics-port/src/testing/promtool.ts`). */
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * The `promtool` binary to check expositions with: `PROMTOOL` when set, else `promtool` on
 * `PATH`, else the repository's `.tools/bin/promtool` (where CI's install script puts it),
 * else `undefined`.
 */
export function findPromtool(): string | undefined {
  const explicit = process.env.PROMTOOL;
  if (explicit !== undefined && explicit !== "") return explicit;
  const dirs = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  for (const dir of [...dirs, join(repoRoot, ".tools", "bin")]) {
    const candidate = join(dir, "promtool");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What `promtool check metrics` said about a body. */
export interface PromtoolResult {
  /** The exit status: 0 when the body passed. */
  readonly status: number | null;
  /** Standard output and error, trimmed: empty when nothing was found wrong. */
  readonly output: string;
}

/** Runs `promtool check metrics` with `body` on its standard input. */
export function promtoolCheckMetrics(promtool: string, body: string): PromtoolResult {
  const result = spawnSync(promtool, ["check", "metrics"], {
    input: body,
    encoding: "utf8",
    timeout: 20_000,
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
