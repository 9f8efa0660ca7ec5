import { basename, join } from "node:path";
import { defineConfig, type ViteUserConfig } from "vitest/config";

/** CI sets it: every project then also writes a JSON report there, which `.ci/run` counts. */
const jsonReportDir = process.env.VITEST_JSON_DIR;

/**
 * The test layers; a test file's name says its layer. `unit` needs nothing but Node and the
 * sources (in-process loopback servers are fine); `integration` needs real servers or child
 * processes (Postgres, Redis, promtool, buf); `e2e` runs whole built services or a browser.
 */
export type TestLayer = "unit" | "integration" | "e2e" | "all";

const roots = ["src/**/", "test/**/"];
const integrationFiles = roots.map((root) => `${root}*.integration.test.ts`);
const e2eFiles = roots.map((root) => `${root}*.e2e.test.ts`);
const layerFiles: Record<TestLayer, { include: string[]; exclude: string[] }> = {
  all: { include: roots.map((root) => `${root}*.test.ts`), exclude: [] },
  unit: {
    include: roots.map((root) => `${root}*.test.ts`),
    exclude: [...integrationFiles, ...e2eFiles],
  },
  integration: { include: integrationFiles, exclude: [] },
  e2e: { include: e2eFiles, exclude: [] },
};

/**
 * The workspace's vitest configuration for one test layer. Every project's test scripts run
 * `vitest run --config ../../vitest[.<layer>].config.ts --root .`, so tests resolve workspace
 * packages to their TypeScript sources through the `@tse/source` export condition and need no
 * build. Reports are named `<project>.<layer>.json` so that the layers of one CI run do not
 * overwrite each other.
 */
export function testLayerConfig(layer: TestLayer): ViteUserConfig {
  const { include, exclude } = layerFiles[layer];
  return defineConfig({
    resolve: { conditions: ["@tse/source"] },
    ssr: { resolve: { conditions: ["@tse/source"] } },
    test: {
      include,
      exclude: ["**/node_modules/**", "**/dist/**", ...exclude],
      // A project may have no file of a layer; running everything must still find tests.
      passWithNoTests: layer !== "all",
      environment: "node",
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...(jsonReportDir === undefined
        ? {}
        : {
            reporters: ["default", "json"],
            outputFile: { json: join(jsonReportDir, `${basename(process.cwd())}.${layer}.json`) },
          }),
    },
  });
}

/** Every layer: what `npm test` and a plain `vitest run --config ../../vitest.config.ts` run. */
export default testLayerConfig("all");
