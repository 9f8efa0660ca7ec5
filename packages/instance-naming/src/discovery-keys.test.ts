import { describe, expect, it } from "vitest";
import { discoveryKey, discoveryKeyOf, discoveryPattern } from "./discovery-keys.js";
import { resolveServiceIdentity } from "./service-identity.js";

const MDS = "market-data-simulator";
const TSE = "trading-system-engine";

describe("discoveryKey", () => {
  it.each([
    [MDS, "market-data-sim-001", "registry:services:market-data-simulator:market-data-sim-001"],
    [MDS, MDS, "registry:services:market-data-simulator:market-data-simulator"],
    [TSE, "trading-engine-lh", "registry:services:trading-system-engine:trading-engine-lh"],
  ])("%s / %s → %s", (service, instance, key) => {
    expect(discoveryKey(service, instance)).toBe(key);
  });

  it.each([
    [MDS, "*", /instance label must contain only/],
    [MDS, "", /instance label must not be empty/],
    [MDS, "a:b", /instance label must contain only/],
    ["Market", "x", /service name must contain only/],
    ["market-data-simulator:*", "x", /service name/],
  ])("rejects %j / %j", (service, instance, message) => {
    expect(() => discoveryKey(service, instance)).toThrow(RangeError);
    expect(() => discoveryKey(service, instance)).toThrow(message);
  });
});

describe("discoveryKeyOf", () => {
  it.each([
    ["market-data-sim-001", "registry:services:market-data-simulator:market-data-sim-001"],
    ["", "registry:services:market-data-simulator:market-data-simulator"],
  ])("uses the instance label of %j", (instanceName, key) => {
    const identity = resolveServiceIdentity({ serviceName: MDS, instanceName, version: "1" });
    expect(discoveryKeyOf(identity)).toBe(key);
  });

  it("ignores namespace overrides: the registry is shared", () => {
    const identity = resolveServiceIdentity({
      serviceName: TSE,
      version: "1",
      redisNamespace: "te:",
    });
    expect(discoveryKeyOf(identity)).toBe(
      "registry:services:trading-system-engine:trading-system-engine",
    );
  });
});

describe("discoveryPattern", () => {
  it.each([
    [MDS, "registry:services:market-data-simulator:*"],
    [TSE, "registry:services:trading-system-engine:*"],
  ])("%s → %s", (service, pattern) => {
    expect(discoveryPattern(service)).toBe(pattern);
  });

  it.each(["", "*", "a?", "Market", "a:b"])("rejects %j", (service) => {
    expect(() => discoveryPattern(service)).toThrow(RangeError);
  });
});
