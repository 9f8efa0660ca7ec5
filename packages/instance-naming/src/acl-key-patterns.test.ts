import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aclKeyPatterns } from "./acl-key-patterns.js";
import { deriveRedisNamespace } from "./derive-names.js";
import { INSTANCE_KEYS, KEY_FAMILIES } from "./instance-keys.js";
import { validateInstanceName } from "./instance-name.js";
import { validateRedisNamespace } from "./overrides.js";

describe("aclKeyPatterns", () => {
  it("grants each key family under the namespace and the single keys literally, never <ns>*", () => {
    expect(aclKeyPatterns("market:data:sim:binance:")).toEqual([
      "market:data:sim:binance:quote:*",
      "market:data:sim:binance:prices:*",
      "market:data:sim:binance:cache:*",
      "market:data:sim:binance:quote-index",
      "market:data:sim:binance:health",
    ]);
  });

  it("takes an identity's namespace", () => {
    expect(aclKeyPatterns({ redisNamespace: "trading:engine:" })).toContain(
      "trading:engine:health",
    );
  });

  it("rejects a namespace that is not valid", () => {
    expect(() => aclKeyPatterns("market:*:")).toThrow(RangeError);
    expect(() => aclKeyPatterns("registry:x:")).toThrow(RangeError);
  });

  it("covers every key of INSTANCE_KEYS: the families with more parts, the rest whole", () => {
    const singles = Object.values(INSTANCE_KEYS).filter((key) => !KEY_FAMILIES.includes(key));
    expect(singles.sort()).toEqual(["health", "quote-index"]);
  });
});

describe("property: no instance's ACL patterns reach another instance's keys", () => {
  /** Segments that make namespaces extend one another, and reserved ones (filtered out). */
  const segment = fc.constantFrom("md", "sim", "binance", "eu", "health", "quotes", "0", "quote");
  const namespaceOf = fc.oneof(
    // Derived from an instance name: `a-b-c` → `a:b:c:`.
    fc
      .array(segment, { minLength: 1, maxLength: 5 })
      .map((parts) => parts.join("-"))
      .filter((name) => validateInstanceName(name).ok)
      .map((name) => deriveRedisNamespace("market-data-simulator", name)),
    // A REDIS_NAMESPACE override.
    fc
      .array(fc.oneof(segment, fc.constantFrom("Quote", "quote-index", "x_y", "")), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => `${parts.join(":")}:`)
      .filter((namespace) => validateRedisNamespace(namespace).ok),
    fc.constantFrom("market:data:", "trading:engine:"),
  );
  const part = fc.constantFrom("BTC-USD", "eu", "quote", "x:y", "health");
  /** Every key shape the stores build under `namespace` (see INSTANCE_KEYS). */
  const keysOf = (namespace: string, tail: string) => [
    `${namespace}${INSTANCE_KEYS.quote}:${tail}`,
    `${namespace}${INSTANCE_KEYS.prices}:${tail}`,
    `${namespace}${INSTANCE_KEYS.cache}:${tail}`,
    `${namespace}${INSTANCE_KEYS.quoteIndex}`,
    `${namespace}${INSTANCE_KEYS.health}`,
  ];
  /** Glob matching for these patterns: literal text, at most a trailing `*`. */
  const granted = (patterns: readonly string[], key: string) =>
    patterns.some((pattern) =>
      pattern.endsWith("*") ? key.startsWith(pattern.slice(0, -1)) : key === pattern,
    );

  it("grants each instance all of its own keys and none of any other's", () => {
    fc.assert(
      fc.property(namespaceOf, namespaceOf, part, (a, b, tail) => {
        const patternsA = aclKeyPatterns(a);
        expect(patternsA.every((pattern) => !pattern.slice(0, -1).includes("*"))).toBe(true);
        for (const key of keysOf(a, tail)) expect(granted(patternsA, key), key).toBe(true);
        if (a === b) return;
        for (const key of keysOf(b, tail)) {
          expect(granted(patternsA, key), `${a} reaches ${key}`).toBe(false);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("binance and binance-eu, the README's example, keep apart both ways", () => {
    const binance = deriveRedisNamespace("market-data-simulator", "market-data-sim-binance");
    const eu = deriveRedisNamespace("market-data-simulator", "market-data-sim-binance-eu");
    expect(eu.startsWith(binance)).toBe(true);
    for (const key of keysOf(eu, "BTC-USD"))
      expect(granted(aclKeyPatterns(binance), key)).toBe(false);
    for (const key of keysOf(binance, "BTC-USD"))
      expect(granted(aclKeyPatterns(eu), key)).toBe(false);
  });
});
