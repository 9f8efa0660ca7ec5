import { describe, expect, it } from "vitest";
import { InvalidIdentityError } from "./invalid-identity-error.js";
import { type IdentityInput, identityFromEnv, resolveServiceIdentity } from "./service-identity.js";

const MDS = "market-data-simulator";
const TSE = "trading-system-engine";

describe("resolveServiceIdentity derives names and labels", () => {
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
  ])("%s / %j → %s, %s, instance label %s", (serviceName, instanceName, schema, ns, label) => {
    const identity = resolveServiceIdentity({
      serviceName,
      instanceName,
      version: "1.2.3",
      environment: "staging",
    });
    expect(identity).toEqual({
      serviceName,
      instanceName,
      version: "1.2.3",
      environment: "staging",
      schema,
      redisNamespace: ns,
      isSingleInstance: instanceName === "",
      constantLabels: { service: serviceName, instance: label, version: "1.2.3" },
    });
  });

  it("treats an absent instance name as a single instance and defaults the environment", () => {
    const identity = resolveServiceIdentity({ serviceName: TSE, version: "2.0.0" });
    expect(identity.instanceName).toBe("");
    expect(identity.isSingleInstance).toBe(true);
    expect(identity.environment).toBe("development");
    expect(identity.constantLabels).toEqual({ service: TSE, instance: TSE, version: "2.0.0" });
  });

  it("accepts explicit undefined for optional settings", () => {
    const identity = resolveServiceIdentity({
      serviceName: MDS,
      instanceName: undefined,
      version: "1",
      environment: undefined,
      schemaName: undefined,
      redisNamespace: undefined,
    });
    expect(identity.schema).toBe("public");
    expect(identity.redisNamespace).toBe("market:data:");
  });

  it("returns a frozen identity with frozen labels", () => {
    const identity = resolveServiceIdentity({ serviceName: MDS, version: "1" });
    expect(Object.isFrozen(identity)).toBe(true);
    expect(Object.isFrozen(identity.constantLabels)).toBe(true);
    expect(() => {
      (identity as { schema: string }).schema = "other";
    }).toThrow(TypeError);
  });
});

describe("overrides", () => {
  it("win over derivation and leave the labels alone", () => {
    const identity = resolveServiceIdentity({
      serviceName: MDS,
      instanceName: "market-data-sim-001",
      version: "1",
      schemaName: "legacy_market",
      redisNamespace: "md:legacy:",
    });
    expect(identity.schema).toBe("legacy_market");
    expect(identity.redisNamespace).toBe("md:legacy:");
    expect(identity.isSingleInstance).toBe(false);
    expect(identity.constantLabels.instance).toBe("market-data-sim-001");
  });

  it("apply to a single instance too", () => {
    const identity = resolveServiceIdentity({
      serviceName: TSE,
      version: "1",
      schemaName: "engine",
      redisNamespace: "te:",
    });
    expect([identity.schema, identity.redisNamespace]).toEqual(["engine", "te:"]);
  });

  it.each<[string, Partial<IdentityInput>, RegExp]>([
    ["SCHEMA_NAME", { schemaName: "Bad" }, /^SCHEMA_NAME must start with a lower-case letter/],
    ["SCHEMA_NAME", { schemaName: "" }, /^SCHEMA_NAME must not be empty/],
    ["SCHEMA_NAME", { schemaName: "pg_catalog" }, /^SCHEMA_NAME must not be a reserved/],
    ["SCHEMA_NAME", { schemaName: "information_schema" }, /^SCHEMA_NAME must not be a reserved/],
    ["SCHEMA_NAME", { schemaName: 'x"; drop schema public; --' }, /^SCHEMA_NAME must start/],
    ["SCHEMA_NAME", { schemaName: "a".repeat(64) }, /^SCHEMA_NAME must be at most 63 bytes/],
    ["REDIS_NAMESPACE", { redisNamespace: "market:data" }, /^REDIS_NAMESPACE must end with ':'/],
    ["REDIS_NAMESPACE", { redisNamespace: "market:*:" }, /^REDIS_NAMESPACE must not contain glob/],
    ["REDIS_NAMESPACE", { redisNamespace: "a b:" }, /^REDIS_NAMESPACE must not contain glob/],
    ["REDIS_NAMESPACE", { redisNamespace: "registry:services:" }, /^REDIS_NAMESPACE .*registry:/],
    ["REDIS_NAMESPACE", { redisNamespace: "" }, /^REDIS_NAMESPACE must not be empty/],
  ])("%s %j is rejected with the variable named", (variable, override, message) => {
    const error = catchError(() =>
      resolveServiceIdentity({
        serviceName: MDS,
        instanceName: "market-data-sim-001",
        version: "1",
        ...override,
      }),
    );
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as InvalidIdentityError).variable).toBe(variable);
    expect((error as InvalidIdentityError).message).toMatch(message);
  });
});

describe("rejections name the variable in a one-line message", () => {
  it.each<[string, IdentityInput, string]>([
    [
      "SERVICE_NAME",
      { serviceName: "Market", version: "1" },
      `SERVICE_NAME must contain only lower-case letters a-z, digits and '-', got "Market"`,
    ],
    ["SERVICE_NAME", { serviceName: "", version: "1" }, `SERVICE_NAME must not be empty, got ""`],
    [
      "SERVICE_INSTANCE_NAME",
      { serviceName: MDS, instanceName: "pg-x", version: "1" },
      `SERVICE_INSTANCE_NAME must not derive the reserved Postgres schema "pg_x" (the pg_ prefix is reserved for system schemas), got "pg-x"`,
    ],
    [
      "SERVICE_INSTANCE_NAME",
      { serviceName: MDS, instanceName: 'a";drop table x;--', version: "1" },
      `SERVICE_INSTANCE_NAME must contain only lower-case letters a-z, digits and '-', got "a\\";drop table x;--"`,
    ],
    [
      "SERVICE_INSTANCE_NAME",
      { serviceName: MDS, instanceName: "a\nb", version: "1" },
      `SERVICE_INSTANCE_NAME must contain only lower-case letters a-z, digits and '-', got "a\\nb"`,
    ],
    [
      "SERVICE_VERSION",
      { serviceName: MDS, version: "" },
      `SERVICE_VERSION must be 1-64 printable ASCII characters without whitespace, got ""`,
    ],
    [
      "SERVICE_VERSION",
      { serviceName: MDS, version: "1 2" },
      `SERVICE_VERSION must be 1-64 printable ASCII characters without whitespace, got "1 2"`,
    ],
    [
      "ENVIRONMENT",
      { serviceName: MDS, version: "1", environment: "prod\n" },
      `ENVIRONMENT must be 1-64 printable ASCII characters without whitespace, got "prod\\n"`,
    ],
  ])("%s: %j", (variable, input, message) => {
    const error = catchError(() => resolveServiceIdentity(input));
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as InvalidIdentityError).variable).toBe(variable);
    expect((error as InvalidIdentityError).message).toBe(message);
  });

  it("reports the first broken rule in variable order", () => {
    const error = catchError(() =>
      resolveServiceIdentity({
        serviceName: MDS,
        instanceName: "Bad",
        version: "",
        schemaName: "Bad",
        redisNamespace: "bad",
      }),
    );
    expect((error as InvalidIdentityError).variable).toBe("SERVICE_INSTANCE_NAME");
    const later = catchError(() =>
      resolveServiceIdentity({
        serviceName: MDS,
        version: "1",
        schemaName: "Bad",
        redisNamespace: "x",
      }),
    );
    expect((later as InvalidIdentityError).variable).toBe("SCHEMA_NAME");
  });
});

describe("identityFromEnv", () => {
  const defaults = { serviceName: MDS, version: "0.1.0" };

  it("defaults to a single development instance of the service", () => {
    expect(identityFromEnv({}, { serviceName: TSE, version: "2.0.0" })).toEqual({
      serviceName: TSE,
      instanceName: "",
      version: "2.0.0",
      environment: "development",
      schema: "public",
      redisNamespace: "trading:engine:",
      isSingleInstance: true,
      constantLabels: { service: TSE, instance: TSE, version: "2.0.0" },
    });
  });

  it("reads every variable", () => {
    const identity = identityFromEnv(
      {
        SERVICE_NAME: TSE,
        SERVICE_INSTANCE_NAME: "trading-engine-lh",
        SERVICE_VERSION: "3.1.4",
        ENVIRONMENT: "staging",
        SCHEMA_NAME: "engine_lh",
        REDIS_NAMESPACE: "te:lh:",
      },
      defaults,
    );
    expect(identity).toEqual({
      serviceName: TSE,
      instanceName: "trading-engine-lh",
      version: "3.1.4",
      environment: "staging",
      schema: "engine_lh",
      redisNamespace: "te:lh:",
      isSingleInstance: false,
      constantLabels: { service: TSE, instance: "trading-engine-lh", version: "3.1.4" },
    });
  });

  it("derives the names when the overrides are absent or empty", () => {
    const identity = identityFromEnv(
      { SERVICE_INSTANCE_NAME: "market-data-sim-binance", SCHEMA_NAME: "", REDIS_NAMESPACE: "" },
      defaults,
    );
    expect(identity.schema).toBe("market_data_sim_binance");
    expect(identity.redisNamespace).toBe("market:data:sim:binance:");
  });

  it("treats empty variables as unset", () => {
    const identity = identityFromEnv(
      { SERVICE_NAME: "", SERVICE_INSTANCE_NAME: "", SERVICE_VERSION: "", ENVIRONMENT: "" },
      defaults,
    );
    expect(identity).toMatchObject({
      serviceName: MDS,
      instanceName: "",
      version: "0.1.0",
      environment: "development",
    });
  });

  it.each([
    [{ SERVICE_NAME: "Market" }, "SERVICE_NAME"],
    [{ SERVICE_INSTANCE_NAME: " market-data-sim-001" }, "SERVICE_INSTANCE_NAME"],
    [{ SERVICE_INSTANCE_NAME: "information-schema" }, "SERVICE_INSTANCE_NAME"],
    [{ SERVICE_VERSION: "1.0 beta" }, "SERVICE_VERSION"],
    [{ ENVIRONMENT: "a b" }, "ENVIRONMENT"],
    [{ SCHEMA_NAME: "pg_temp" }, "SCHEMA_NAME"],
    [{ REDIS_NAMESPACE: "x" }, "REDIS_NAMESPACE"],
    [{ REDIS_NAMESPACE: "registry:" }, "REDIS_NAMESPACE"],
  ])("rejects %j naming %s", (env, variable) => {
    const error = catchError(() => identityFromEnv(env, defaults));
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as InvalidIdentityError).variable).toBe(variable);
    expect((error as InvalidIdentityError).message.startsWith(`${variable} must `)).toBe(true);
  });

  it("validates the defaults too", () => {
    expect(() => identityFromEnv({}, { serviceName: "Bad", version: "1" })).toThrow(
      /^SERVICE_NAME /,
    );
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
