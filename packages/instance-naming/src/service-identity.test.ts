import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateInstanceName } from "./instance-name.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";
import { identityFromEnv, resolveServiceIdentity } from "./service-identity.js";
import { quoteIdentifier } from "./sql-identifier.js";

const MDS = "market-data-simulator";
const TSE = "trading-system-engine";

describe("derivation", () => {
  it.each([
    [MDS, "", "public", "market:data:", MDS],
    [TSE, "", "public", "trading:engine:", TSE],
    ["risk-monitor", "", "public", "risk:monitor:", "risk-monitor"],
    [
      MDS,
      "market-data-sim-001",
      "market_data_sim_001",
      "market:data:sim:001:",
      "market-data-sim-001",
    ],
    [
      MDS,
      "market-data-sim-binance",
      "market_data_sim_binance",
      "market:data:sim:binance:",
      "market-data-sim-binance",
    ],
    [TSE, "trading-engine-lh", "trading_engine_lh", "trading:engine:lh:", "trading-engine-lh"],
    [MDS, "a", "a", "a:", "a"],
    [MDS, "0x", "0x", "0x:", "0x"],
  ])("%s / %j → %s, %s", (serviceName, instanceName, schema, namespace, instanceLabel) => {
    const identity = resolveServiceIdentity({ serviceName, instanceName, version: "1.0.0" });
    expect(identity.schema).toBe(schema);
    expect(identity.redisNamespace).toBe(namespace);
    expect(identity.isSingleInstance).toBe(instanceName === "");
    expect(identity.constantLabels).toEqual({
      service: serviceName,
      instance: instanceLabel,
      version: "1.0.0",
    });
    expect(Object.isFrozen(identity)).toBe(true);
  });
});

describe("instance name rules", () => {
  it.each([
    ["Market-data", /lower-case/],
    ["market_data", /lower-case/],
    ["-market", /start or end with '-'/],
    ["market-", /start or end with '-'/],
    ["a".repeat(64), /at most 63 characters/],
    ["marké", /lower-case/],
    ["市场", /lower-case/],
    ["pg-x", /pg_ are reserved/],
    ["information-schema", /information_schema/],
    ["with space", /lower-case/],
    ['a";drop table x;--', /lower-case/],
    ["a\nb", /lower-case/],
  ])("rejects %j with a reason", (name, reason) => {
    const result = validateInstanceName(name);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(() =>
      resolveServiceIdentity({ serviceName: MDS, instanceName: name, version: "1" }),
    ).toThrow(InvalidIdentityError);
  });

  it("accepts 63 characters and inner hyphens", () => {
    expect(validateInstanceName("a".repeat(63))).toEqual({ ok: true });
    expect(validateInstanceName("a--b")).toEqual({ ok: true });
    expect(validateInstanceName("pgx")).toEqual({ ok: true });
  });

  it("names the variable and the rule in one line", () => {
    let error: unknown;
    try {
      resolveServiceIdentity({ serviceName: MDS, instanceName: "Bad_Name", version: "1" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidIdentityError);
    const invalid = error as InvalidIdentityError;
    expect(invalid.variable).toBe("SERVICE_INSTANCE_NAME");
    expect(invalid.message).toBe(
      `SERVICE_INSTANCE_NAME must contain only lower-case letters a-z, digits and '-', got "Bad_Name"`,
    );
  });

  it("validates the service name and version too", () => {
    expect(() => resolveServiceIdentity({ serviceName: "Market", version: "1" })).toThrow(
      /^SERVICE_NAME/,
    );
    expect(() => resolveServiceIdentity({ serviceName: MDS, version: "" })).toThrow(
      /^SERVICE_VERSION/,
    );
    expect(() => resolveServiceIdentity({ serviceName: MDS, version: "1 2" })).toThrow(
      /^SERVICE_VERSION/,
    );
  });
});

describe("overrides", () => {
  it("win over derivation", () => {
    const identity = resolveServiceIdentity({
      serviceName: MDS,
      instanceName: "market-data-sim-001",
      version: "1",
      schemaName: "legacy_market",
      redisNamespace: "md:legacy:",
    });
    expect(identity.schema).toBe("legacy_market");
    expect(identity.redisNamespace).toBe("md:legacy:");
    expect(identity.constantLabels.instance).toBe("market-data-sim-001");
  });

  it.each([
    ["SCHEMA_NAME", { schemaName: "Bad" }, /lower-case/],
    ["SCHEMA_NAME", { schemaName: "1abc" }, /must start with/],
    ["SCHEMA_NAME", { schemaName: "pg_catalog" }, /reserved/],
    ["SCHEMA_NAME", { schemaName: "information_schema" }, /reserved/],
    ["SCHEMA_NAME", { schemaName: 'x"; drop schema public; --' }, /must start with/],
    ["SCHEMA_NAME", { schemaName: "a".repeat(64) }, /63/],
    ["REDIS_NAMESPACE", { redisNamespace: "market:data" }, /end with ':'/],
    ["REDIS_NAMESPACE", { redisNamespace: "market:*:" }, /glob/],
    ["REDIS_NAMESPACE", { redisNamespace: "market data:" }, /glob/],
    ["REDIS_NAMESPACE", { redisNamespace: "registry:services:" }, /discovery/],
    ["REDIS_NAMESPACE", { redisNamespace: ":" }, /start with ':'/],
  ])("%s %j is rejected", (variable, override, reason) => {
    let error: unknown;
    try {
      resolveServiceIdentity({ serviceName: MDS, version: "1", ...override });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as InvalidIdentityError).variable).toBe(variable);
    expect((error as InvalidIdentityError).message).toMatch(reason);
  });
});

describe("identityFromEnv", () => {
  it("reads the ecosystem's variables with defaults", () => {
    const identity = identityFromEnv(
      { SERVICE_INSTANCE_NAME: "market-data-sim-binance", ENVIRONMENT: "staging", SCHEMA_NAME: "" },
      { serviceName: MDS, version: "0.1.0" },
    );
    expect(identity).toMatchObject({
      serviceName: MDS,
      instanceName: "market-data-sim-binance",
      version: "0.1.0",
      environment: "staging",
      schema: "market_data_sim_binance",
      redisNamespace: "market:data:sim:binance:",
    });
  });

  it("defaults to a single development instance", () => {
    expect(identityFromEnv({}, { serviceName: TSE, version: "2.0.0" })).toMatchObject({
      instanceName: "",
      environment: "development",
      schema: "public",
      redisNamespace: "trading:engine:",
      constantLabels: { service: TSE, instance: TSE, version: "2.0.0" },
    });
  });

  it("names the variable of an invalid value", () => {
    expect(() =>
      identityFromEnv({ REDIS_NAMESPACE: "x" }, { serviceName: MDS, version: "1" }),
    ).toThrow(/^REDIS_NAMESPACE must end with ':'/);
  });
});

describe("property: every accepted name yields safe names", () => {
  const nameChars = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-".split(""));
  const candidate = fc.string({ unit: nameChars, minLength: 1, maxLength: 70 });
  const anyString = fc.string({ unit: "grapheme", maxLength: 80 });

  it("accepted names derive a valid identifier and a glob-free namespace", () => {
    fc.assert(
      fc.property(fc.oneof(candidate, anyString), (name) => {
        fc.pre(name !== "");
        const check = validateInstanceName(name);
        if (!check.ok) {
          expect(() =>
            resolveServiceIdentity({ serviceName: MDS, instanceName: name, version: "1" }),
          ).toThrow();
          return;
        }
        const identity = resolveServiceIdentity({
          serviceName: MDS,
          instanceName: name,
          version: "1",
        });
        expect(identity.schema).toMatch(/^[a-z0-9_]{1,63}$/);
        expect(identity.schema.startsWith("pg_")).toBe(false);
        expect(quoteIdentifier(identity.schema)).toBe(`"${identity.schema}"`);
        expect(identity.redisNamespace.endsWith(":")).toBe(true);
        expect(identity.redisNamespace).not.toMatch(/[*?[\]\\\s]/);
        expect(identity.redisNamespace.startsWith("registry:")).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it("different accepted names never share a schema or a namespace", () => {
    fc.assert(
      fc.property(candidate, candidate, (a, b) => {
        fc.pre(a !== b && validateInstanceName(a).ok && validateInstanceName(b).ok);
        const ia = resolveServiceIdentity({ serviceName: MDS, instanceName: a, version: "1" });
        const ib = resolveServiceIdentity({ serviceName: MDS, instanceName: b, version: "1" });
        expect(ia.schema).not.toBe(ib.schema);
        expect(ia.redisNamespace).not.toBe(ib.redisNamespace);
      }),
      { numRuns: 2_000 },
    );
  });

  it("no namespace of one instance is a prefix of another's keys", () => {
    fc.assert(
      fc.property(candidate, candidate, (a, b) => {
        fc.pre(a !== b && validateInstanceName(a).ok && validateInstanceName(b).ok);
        const na = resolveServiceIdentity({
          serviceName: MDS,
          instanceName: a,
          version: "1",
        }).redisNamespace;
        const nb = resolveServiceIdentity({
          serviceName: MDS,
          instanceName: b,
          version: "1",
        }).redisNamespace;
        // A prefix relation is inherent to hierarchical names (a-b vs a-b-c); it is what SCAN
        // patterns must respect, so assert it only happens through a whole ':' segment.
        if (nb.startsWith(na)) expect(na.endsWith(":")).toBe(true);
      }),
    );
  });
});
