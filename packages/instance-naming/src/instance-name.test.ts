import { describe, expect, it } from "vitest";
import { assertInstanceName, validateInstanceName } from "./instance-name.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";

describe("validateInstanceName", () => {
  it.each([
    "a",
    "0",
    "0x",
    "market-data-sim-001",
    "market-data-sim-binance",
    "trading-engine-lh",
    "a--b",
    "pg",
    "pgx",
    "x-pg-y",
    "information",
    "information-schema-x",
    "registryx",
    "my-registry",
    "market-data-sim-binance-eu",
    "quotes",
    "x-quoter-y",
    "precache",
    "a".repeat(63),
  ])("accepts %j", (name) => {
    expect(validateInstanceName(name)).toEqual({ ok: true });
  });

  it.each([
    ["", /^must not be empty$/],
    ["Market-data", /^must contain only lower-case letters/],
    ["MARKET", /^must contain only lower-case letters/],
    ["market_data", /^must contain only lower-case letters/],
    ["-market", /^must not start or end with '-'$/],
    ["market-", /^must not start or end with '-'$/],
    ["-", /^must not start or end with '-'$/],
    ["a".repeat(64), /^must be at most 63 characters \(has 64\)$/],
    ["marké", /^must contain only lower-case letters/],
    ["市场", /^must contain only lower-case letters/],
    ["ｍarket", /^must contain only lower-case letters/],
    ["pg-x", /reserved Postgres schema "pg_x" \(the pg_ prefix is reserved/],
    ["pg-", /^must not start or end with '-'$/],
    ["information-schema", /reserved Postgres schema "information_schema"/],
    ["registry", /reserved Redis namespace "registry:"/],
    ["registry-services-x", /reserved Redis namespace "registry:services:x:"/],
    ["with space", /^must contain only lower-case letters/],
    [" lead", /^must contain only lower-case letters/],
    ["tab\t", /^must contain only lower-case letters/],
    ["a\nb", /^must contain only lower-case letters/],
    ['a";drop table x;--', /^must contain only lower-case letters/],
    ["a'; drop schema public cascade; --", /^must contain only lower-case letters/],
    ["a:b", /^must contain only lower-case letters/],
    ["a*", /^must contain only lower-case letters/],
    ["a.b", /^must contain only lower-case letters/],
    ["market-data-sim-binance-quote", /^must not have the segment "quote" is a Redis key family/],
    ["prices", /^must not have the segment "prices"/],
    ["cache-eu", /^must not have the segment "cache"/],
    ["a-prices-b", /^must not have the segment "prices"/],
  ])("rejects %j with its reason", (name, reason) => {
    const result = validateInstanceName(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toMatch(reason);
  });
});

describe("assertInstanceName", () => {
  it("returns for an accepted name", () => {
    expect(() => assertInstanceName("market-data-sim-001")).not.toThrow();
  });

  it("throws an InvalidIdentityError for SERVICE_INSTANCE_NAME by default", () => {
    const error = catchError(() => assertInstanceName("Bad_Name"));
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect(error).toMatchObject({
      variable: "SERVICE_INSTANCE_NAME",
      reason: "must contain only lower-case letters a-z, digits and '-'",
      value: "Bad_Name",
      message: `SERVICE_INSTANCE_NAME must contain only lower-case letters a-z, digits and '-', got "Bad_Name"`,
    });
  });

  it("names the variable it is given", () => {
    const error = catchError(() => assertInstanceName("-x", "SERVICE_NAME"));
    expect(error).toMatchObject({
      variable: "SERVICE_NAME",
      message: `SERVICE_NAME must not start or end with '-', got "-x"`,
    });
  });

  it("rejects the empty string (single instances are the caller's decision)", () => {
    expect(() => assertInstanceName("")).toThrow(/^SERVICE_INSTANCE_NAME must not be empty/);
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
