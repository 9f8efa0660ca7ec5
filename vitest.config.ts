import { basename, join } from "node:path";
import { defineConfig } from "vitest/config";

/** CI sets it: every project then also writes a JSON report there, which `.ci/run` counts. */
const jsonReportDir = process.env.VITEST_JSON_DIR;

/**
 * The one vitest configuration of the workspace. Every project's `test` script runs
 * `vitest run --config ../../vitest.config.ts --root .`, so tests resolve workspace
 * packages to their TypeScript sources through the `@tse/source` export condition and
 * need no build.
 */
export default defineConfig({
  resolve: { conditions: ["@tse/source"] },
  ssr: { resolve: { conditions: ["@tse/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...(jsonReportDir === undefined
      ? {}
      : {
          reporters: ["default", "json"],
          outputFile: { json: join(jsonReportDir, `${basename(process.cwd())}.json`) },
        }),
  },
});
