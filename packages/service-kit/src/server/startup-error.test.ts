import { DependencyCheckError } from "@tse/dependency-check";
import { describe, expect, it } from "vitest";
import { StartupError, startupErrorOf } from "./startup-error.js";

describe("startupErrorOf", () => {
  it("prefixes a failed dependency check with the setting that names the server", () => {
    for (const [dependency, variable] of [
      ["Postgres", "POSTGRES_URL"],
      ["Redis", "REDIS_URL"],
    ] as const) {
      const check = new DependencyCheckError(dependency, `${dependency} at db:1 is unreachable`);
      const error = startupErrorOf(check);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as StartupError).message).toBe(`${variable}: ${check.message}`);
      expect((error as StartupError).cause).toBe(check);
    }
  });

  it("returns any other error unchanged", () => {
    const other = new Error("boom");
    expect(startupErrorOf(other)).toBe(other);
  });
});
