import { describe, expect, it } from "vitest";
import { redisGlobMatcher } from "./redis-glob.js";

describe("redisGlobMatcher (Redis stringmatchlen semantics)", () => {
  it.each([
    ["*", "", true],
    ["*", "anything:at:all", true],
    ["user:*", "user:1", true],
    ["user:*", "users:1", false],
    ["user:?", "user:1", true],
    ["user:?", "user:10", false],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
    ["h[b-a]llo", "hbllo", true],
    ["h[a-b]llo", "hcllo", false],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["[\\]]", "]", true],
    ["a.b", "a.b", true],
    ["a.b", "axb", false],
    ["a-b", "a-b", true],
    ["*-*", "BTC-USD", true],
    ["a/b{1}", "a/b{1}", true],
    ["(x)+", "(x)+", true],
    ["a[bc", "ab", true],
    ["ü*", "über", true],
    ["*:quote:*", "market:data:quote:BTC-USD", true],
  ])("%s vs %j → %s", (pattern, text, expected) => {
    expect(redisGlobMatcher(pattern)(text)).toBe(expected);
  });
});
