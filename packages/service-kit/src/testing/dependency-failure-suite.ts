import { afterAll, beforeAll, describe, it } from "vitest";
import { runServiceToExit } from "./spawn-service.js";

/** One start-up against a broken dependency (see `dependencyFailures` of the adapter's testing). */
export interface DependencyFailureExpectation {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The dependency the one-line refusal must name, e.g. `Redis`. */
  readonly dependency: string;
  /** The cause it must carry, e.g. `/WRONGPASS/`. */
  readonly cause: RegExp;
}

/** The start-ups to run and the checks around them. */
export interface DependencyFailureTarget<C extends DependencyFailureExpectation> {
  /** The service's entry point (`src/main.ts` or `dist/main.js`). */
  readonly entry: string;
  readonly cases: readonly C[];
  setup(): Promise<void>;
  cleanup(): Promise<void>;
  /** Throws when the refused start-up left anything behind (schema, keys, discovery entry). */
  assertNothingWritten(failure: C): Promise<void>;
}

/**
 * Start-up against a broken dependency (docs/operations.md#start-up, issue 19 item 20), as a vitest
 * suite run against the real entry point: for each case the process exits with code 2, writes
 * exactly one line to standard error naming the dependency and the cause, prints no stack trace
 * anywhere, and left nothing behind — every dependency is checked before anything is migrated or
 * written.
 */
export function describeDependencyFailures<C extends DependencyFailureExpectation>(
  target: DependencyFailureTarget<C>,
): void {
  describe("start-up with a broken dependency", () => {
    beforeAll(() => target.setup());
    afterAll(() => target.cleanup());

    it.concurrent.for(target.cases.map((failure) => [failure.name, failure] as const))(
      "refuses to start with %s: exit 2, one line naming it and the cause, nothing written",
      { timeout: 60_000 },
      async ([, failure], { expect }) => {
        const { code, stdout, stderr } = await runServiceToExit(target.entry, [], failure.env);
        const lines = stderr.trim().split("\n");
        expect(lines, stderr).toHaveLength(1);
        expect(lines[0]).toContain(failure.dependency);
        expect(lines[0]).toMatch(failure.cause);
        expect(`${stdout}${stderr}`).not.toMatch(/^\s+at /m);
        expect(code, `${stdout}${stderr}`).toBe(2);
        await target.assertNothingWritten(failure);
      },
    );
  });
}
