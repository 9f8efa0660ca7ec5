import { describe, expect, it } from "vitest";
import { validateRedisNamespace, validateSchemaName } from "./overrides.js";

describe("validateSchemaName", () => {
  it.each([
    "legacy_market",
    "_private",
    "a",
    "market_data_sim_001",
    "public",
    "a1_",
    "p".repeat(63),
  ])("accepts %j", (schema) => {
    expect(validateSchemaName(schema)).toEqual({ ok: true });
  });

  it.each([
    ["", /^must not be empty$/],
    ["Bad", /^must start with a lower-case letter or '_'/],
    ["1abc", /^must start with a lower-case letter or '_'/],
    ["market-data", /^must start with a lower-case letter or '_'/],
    ["schéma", /^must start with a lower-case letter or '_'/],
    ['x"; drop schema public; --', /^must start with a lower-case letter or '_'/],
    ["a b", /^must start with a lower-case letter or '_'/],
    ["a".repeat(64), /^must be at most 63 bytes \(has 64\)$/],
    ["pg_catalog", /^must not be a reserved Postgres schema \(the pg_ prefix/],
    ["pg_", /^must not be a reserved Postgres schema/],
    ["information_schema", /^must not be a reserved Postgres schema/],
  ])("rejects %j", (schema, reason) => {
    const result = validateSchemaName(schema);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toMatch(reason);
  });
});

describe("validateRedisNamespace", () => {
  it.each([
    "md:legacy:",
    "Market:Data:",
    "a:",
    "a_b-c:",
    "x::",
    "registryx:",
    "my:registry:",
    "md:quotes:",
    "quote-x:",
  ])("accepts %j", (namespace) => {
    expect(validateRedisNamespace(namespace)).toEqual({ ok: true });
  });

  it.each([
    ["", /^must not be empty$/],
    ["market:data", /^must end with ':'$/],
    [":", /^must not start with ':'$/],
    [":a:", /^must not start with ':'$/],
    ["market:*:", /glob characters/],
    ["market:?:", /glob characters/],
    ["market:[ab]:", /glob characters/],
    ["market:\\:", /glob characters/],
    ["market data:", /whitespace/],
    ["market:\n:", /whitespace/],
    ["marché:", /^must contain only ASCII letters/],
    ["a/b:", /^must contain only ASCII letters/],
    ["registry:", /^must not start with 'registry:'/],
    ["registry:services:", /^must not start with 'registry:' \(registry: is the shared discovery/],
    [`${"a".repeat(128)}:`, /^must be at most 128 characters \(has 129\)$/],
    ["quote:", /^must not have the segment "quote" is a Redis key family/],
    ["market:data:sim:binance:prices:", /^must not have the segment "prices"/],
    ["a:cache:b:", /^must not have the segment "cache"/],
  ])("rejects %j", (namespace, reason) => {
    const result = validateRedisNamespace(namespace);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toMatch(reason);
  });

  it("accepts 128 characters", () => {
    expect(validateRedisNamespace(`${"a".repeat(127)}:`)).toEqual({ ok: true });
  });
});
