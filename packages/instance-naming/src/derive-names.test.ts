import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACES, deriveRedisNamespace, deriveSchema } from "./derive-names.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";

const MDS = "market-data-simulator";
const TSE = "trading-system-engine";

describe("deriveSchema", () => {
  it.each([
    ["", "public"],
    ["market-data-sim-001", "market_data_sim_001"],
    ["market-data-sim-binance", "market_data_sim_binance"],
    ["a--b", "a__b"],
    ["a", "a"],
    ["0x", "0x"],
  ])("%j → %s", (name, schema) => {
    expect(deriveSchema(name)).toBe(schema);
  });

  it.each(["Bad", "pg-x", "-a", " "])("rejects %j for SERVICE_INSTANCE_NAME", (name) => {
    expect(() => deriveSchema(name)).toThrow(InvalidIdentityError);
    expect(() => deriveSchema(name)).toThrow(/^SERVICE_INSTANCE_NAME /);
  });
});

describe("deriveRedisNamespace", () => {
  it.each([
    [MDS, "", "market:data:"],
    [TSE, "", "trading:engine:"],
    ["foo-bar", "", "foo:bar:"],
    ["risk-monitor", "", "risk:monitor:"],
    ["constructor", "", "constructor:"],
    ["tostring", "", "tostring:"],
    [MDS, "market-data-sim-001", "market:data:sim:001:"],
    [MDS, "market-data-sim-binance", "market:data:sim:binance:"],
    [TSE, "trading-engine-lh", "trading:engine:lh:"],
    [TSE, "a--b", "a::b:"],
    [MDS, "x", "x:"],
  ])("%s / %j → %s", (service, name, namespace) => {
    expect(deriveRedisNamespace(service, name)).toBe(namespace);
  });

  it("names the variable of an invalid input", () => {
    expect(() => deriveRedisNamespace("Market", "")).toThrow(/^SERVICE_NAME /);
    expect(() => deriveRedisNamespace("Market", "x")).toThrow(/^SERVICE_NAME /);
    expect(() => deriveRedisNamespace(MDS, "x_y")).toThrow(/^SERVICE_INSTANCE_NAME /);
    expect(() => deriveRedisNamespace("registry", "")).toThrow(/^SERVICE_NAME .*registry:/);
  });
});

describe("DEFAULT_NAMESPACES", () => {
  it("holds the ecosystem's two services and cannot be changed", () => {
    expect(DEFAULT_NAMESPACES).toEqual({ [MDS]: "market:data:", [TSE]: "trading:engine:" });
    expect(Object.isFrozen(DEFAULT_NAMESPACES)).toBe(true);
  });
});
