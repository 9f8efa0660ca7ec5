import { describe, expect, it } from "vitest";
import { discoveryKey, discoveryPattern, escapeGlob, redisKey, scanPattern } from "./redis-keys.js";
import { qualifiedName, quoteIdentifier } from "./sql-identifier.js";

describe("quoteIdentifier", () => {
  it.each([
    ["market_data_sim_001", '"market_data_sim_001"'],
    ['a"b', '"a""b"'],
    ['x"; drop table candles; --', '"x""; drop table candles; --"'],
    ["Mixed Case", '"Mixed Case"'],
  ])("%j → %s", (input, quoted) => {
    expect(quoteIdentifier(input)).toBe(quoted);
  });

  it("rejects empty, NUL and over-long identifiers", () => {
    expect(() => quoteIdentifier("")).toThrow(RangeError);
    expect(() => quoteIdentifier("a\0b")).toThrow(/NUL/);
    expect(() => quoteIdentifier("é".repeat(32))).toThrow(/63 bytes/);
  });

  it("qualifies a table with its schema", () => {
    expect(qualifiedName("market_data_sim_001", "candles")).toBe('"market_data_sim_001"."candles"');
  });
});

describe("Redis keys", () => {
  it("builds keys under the namespace", () => {
    expect(redisKey("market:data:sim:001:", "quote", "BTC-USD")).toBe(
      "market:data:sim:001:quote:BTC-USD",
    );
    expect(redisKey("market:data:", "prices", "ETH-USD")).toBe("market:data:prices:ETH-USD");
  });

  it.each([[""], ["*"], ["BTC?"], ["a b"], ["[x]"], ["back\\slash"]])(
    "rejects the part %j",
    (part) => {
      expect(() => redisKey("market:data:", "quote", part)).toThrow(RangeError);
    },
  );

  it("rejects an invalid namespace and a key without parts", () => {
    expect(() => redisKey("market", "x")).toThrow(/end with ':'/);
    expect(() => redisKey("registry:services:", "x")).toThrow(/discovery/);
    expect(() => redisKey("market:data:")).toThrow(/at least one part/);
  });

  it("builds SCAN patterns that match only the namespace", () => {
    expect(scanPattern("market:data:")).toBe("market:data:*");
    expect(scanPattern("market:data:", "quote")).toBe("market:data:quote:*");
    expect(escapeGlob("a*b?c[d]e\\f")).toBe("a\\*b\\?c\\[d\\]e\\\\f");
  });

  it("builds the shared discovery keys", () => {
    expect(discoveryKey("market-data-simulator", "market-data-sim-001")).toBe(
      "registry:services:market-data-simulator:market-data-sim-001",
    );
    expect(discoveryPattern("trading-system-engine")).toBe(
      "registry:services:trading-system-engine:*",
    );
    expect(() => discoveryKey("market-data-simulator", "*")).toThrow(RangeError);
  });
});
