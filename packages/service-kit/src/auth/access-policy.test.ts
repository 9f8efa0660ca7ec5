import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { resolveAccessPolicy } from "./access-policy.js";

const A = "token-a-0123456789abcdef";
const B = "token-b-0123456789abcdef";
const directory = mkdtempSync(join(tmpdir(), "access-policy-"));
const file = (name: string, text: string) => {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
};
const settings = (overrides: Partial<Parameters<typeof resolveAccessPolicy>[0]>) => ({
  authTokens: [],
  authTokensFile: undefined,
  authProtectReads: false,
  ...overrides,
});

describe("resolveAccessPolicy", () => {
  it("is unprotected without tokens", () => {
    expect(resolveAccessPolicy(settings({}))).toEqual({ tokens: [], protectReads: false });
  });

  it("joins AUTH_TOKENS and the file's tokens, skipping comments and blank lines, once each", () => {
    const path = file("tokens", `# current\n${A}\r\n\n  ${B} , ${A}\n`);
    expect(
      resolveAccessPolicy(
        settings({ authTokens: [B], authTokensFile: path, authProtectReads: true }),
      ),
    ).toEqual({ tokens: [B, A], protectReads: true });
  });

  it.each([
    ["an unreadable file", () => "/nonexistent/tokens", /cannot be read \(ENOENT\)/],
    ["a file without a token", () => file("empty", "# none yet\n\n"), /holds no token/],
    ["a short token", () => file("short", `${A}\nshort-secret\n`), /line 2 is not valid/],
  ])("refuses %s, naming AUTH_TOKENS_FILE and never a token", (_what, path, reason) => {
    let error: unknown;
    try {
      resolveAccessPolicy(settings({ authTokensFile: path() }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("AUTH_TOKENS_FILE");
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain("short-secret");
    expect((error as Error).message).not.toContain(A);
  });

  it("refuses to protect reads without any token", () => {
    expect(() => resolveAccessPolicy(settings({ authProtectReads: true }))).toThrow(
      /AUTH_PROTECT_READS .*needs AUTH_TOKENS/,
    );
  });
});
