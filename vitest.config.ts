import { defineConfig } from "vitest/config";

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
  },
});
