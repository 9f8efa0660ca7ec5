import { describe, expect, it } from "vitest";
import { escapeGlob, redisKey, scanPattern } from "./redis-keys.js";
import { resolveServiceIdentity } from "./service-identity.js";

const sim001 = resolveServiceIdentity({
  serviceName: "market-data-simulator",
  instanceName: "market-data-sim-001",
  version: "1",
});

describe("redisKey", () => {
  it.each<[string | { redisNamespace: string }, string[], string]>([
    ["market:data:", ["quote", "BTC-USD"], "market:data:quote:BTC-USD"],
    ["market:data:sim:001:", ["prices", "ETH-USD"], "market:data:sim:001:prices:ETH-USD"],
    ["trading:engine:", ["cache"], "trading:engine:cache"],
    ["md:legacy:", ["quote", "BTC/USD"], "md:legacy:quote:BTC/USD"],
    [sim001, ["quote", "BTC-USD"], "market:data:sim:001:quote:BTC-USD"],
  ])("%j + %j → %s", (source, parts, key) => {
    expect(redisKey(source, ...parts)).toBe(key);
  });

  it.each([
    ["", /must not be empty/],
    ["*", /glob/],
    ["BTC?", /glob/],
    ["[x]", /glob/],
    ["back\\slash", /glob/],
    ["a b", /whitespace/],
    ["a\tb", /whitespace/],
    ["a\u0000b", /control/],
    ["sim:001:quote", /must not contain ':'/],
    [":", /must not contain ':'/],
  ])("rejects the part %j", (part, message) => {
    expect(() => redisKey("market:data:", "quote", part)).toThrow(RangeError);
    expect(() => redisKey("market:data:", "quote", part)).toThrow(message);
  });

  it.each([
    ["market", /end with ':'/],
    ["", /must not be empty/],
    ["registry:services:", /discovery/],
    ["a*:", /glob/],
  ])("rejects the namespace %j", (namespace, message) => {
    expect(() => redisKey(namespace, "x")).toThrow(RangeError);
    expect(() => redisKey({ redisNamespace: namespace }, "x")).toThrow(message);
  });

  it("needs at least one part", () => {
    expect(() => redisKey("market:data:")).toThrow(/at least one part/);
  });
});

describe("scanPattern", () => {
  it.each<[string | { redisNamespace: string }, string[], string]>([
    ["market:data:", [], "market:data:*"],
    ["market:data:", ["quote"], "market:data:quote:*"],
    ["market:data:", ["prices", "BTC-USD"], "market:data:prices:BTC-USD:*"],
    ["market:data:", ["quote", "BTC*"], "market:data:quote:BTC\\*:*"],
    ["market:data:", ["a?b", "[x]", "c\\d"], "market:data:a\\?b:\\[x\\]:c\\\\d:*"],
    [sim001, [], "market:data:sim:001:*"],
    [{ redisNamespace: "trading:engine:" }, ["orders"], "trading:engine:orders:*"],
  ])("%j + %j → %s", (source, parts, pattern) => {
    expect(scanPattern(source, ...parts)).toBe(pattern);
  });

  it.each([
    ["", /must not be empty/],
    ["a:b", /must not contain ':'/],
    ["a b", /whitespace/],
  ])("rejects the part %j", (part, message) => {
    expect(() => scanPattern("market:data:", part)).toThrow(message);
  });

  it("rejects an invalid namespace", () => {
    expect(() => scanPattern("market:data")).toThrow(/end with ':'/);
    expect(() => scanPattern("registry:")).toThrow(/discovery/);
  });
});

describe("escapeGlob", () => {
  it.each([
    ["plain:text-1", "plain:text-1"],
    ["a*b?c[d]e\\f", "a\\*b\\?c\\[d\\]e\\\\f"],
    ["**", "\\*\\*"],
    ["", ""],
  ])("%j → %j", (text, escaped) => {
    expect(escapeGlob(text)).toBe(escaped);
  });
});
