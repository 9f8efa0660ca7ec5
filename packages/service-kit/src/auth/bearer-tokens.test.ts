import { describe, expect, it } from "vitest";
import { BearerTokens } from "./bearer-tokens.js";

const ONE = "first-token-0123456789abcdef";
const TWO = "second-token-0123456789abcdef==";

describe("BearerTokens", () => {
  const tokens = new BearerTokens([ONE, TWO]);

  it("accepts either configured token, whatever the scheme's case", () => {
    expect(tokens.count).toBe(2);
    expect(tokens.check(`Bearer ${ONE}`)).toBe("valid");
    expect(tokens.check(`bearer ${TWO}`)).toBe("valid");
    expect(tokens.check(`BEARER  ${ONE} `)).toBe("valid");
  });

  it("calls no header or an empty one missing", () => {
    expect(tokens.check(undefined)).toBe("missing");
    expect(tokens.check(null)).toBe("missing");
    expect(tokens.check("  ")).toBe("missing");
  });

  it.each([
    ["a wrong token", "Bearer third-token-0123456789abcdef"],
    ["a prefix of a token", `Bearer ${ONE.slice(0, -1)}`],
    ["a token with more after it", `Bearer ${ONE}x`],
    ["two tokens", `Bearer ${ONE} ${TWO}`],
    ["another scheme", `Basic ${ONE}`],
    ["no scheme", ONE],
    ["the scheme alone", "Bearer"],
  ])("refuses %s as invalid", (_what, header) => {
    expect(tokens.check(header)).toBe("invalid");
  });

  it("needs at least one token", () => {
    expect(() => new BearerTokens([])).toThrow();
  });
});
