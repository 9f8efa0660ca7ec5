import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commonSettings } from "./common-settings.js";
import { ConfigError } from "./config-error.js";
import { renderHelp } from "./help.js";
import { loadConfig } from "./load-config.js";
import { booleanSchema, integerSchema, listSchema, setting, urlSchema } from "./setting.js";

const spec = {
  ...commonSettings({ serviceName: "svc", version: "1.2.3", ports: { http: 8080, grpc: 50051 } }),
  tickIntervalMs: setting({
    env: "TICK_INTERVAL_MS",
    description: "tick",
    default: "100",
    schema: integerSchema(1, 60_000),
  }),
  verbose: setting({ env: "VERBOSE", description: "v", default: "false", schema: booleanSchema }),
  symbols: setting({
    env: "SYMBOLS",
    description: "s",
    default: "BTC-USD,ETH-USD",
    schema: listSchema,
  }),
  postgresUrl: setting({
    env: "POSTGRES_URL",
    description: "db",
    schema: urlSchema(["postgres:", "postgresql:"]),
    secret: true,
  }),
};

const noFile = join(tmpdir(), "definitely-missing.env");

function load(env: Record<string, string> = {}, argv: string[] = []) {
  const result = loadConfig(spec, {
    env: { ENV_FILE: undefined, ...env },
    argv,
    envFile: writeEnv(""),
  });
  if (result.kind !== "values") throw new Error("expected values");
  return result;
}

const scratch = mkdtempSync(join(tmpdir(), "load-config-test-"));
let envFiles = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeEnv(content: string): string {
  envFiles += 1;
  const file = join(scratch, `${envFiles}.env`);
  writeFileSync(file, content);
  return file;
}

describe("loadConfig", () => {
  it("uses defaults when nothing is set", () => {
    const { values, origins } = load();
    expect(values.httpPort).toBe(8080);
    expect(values.grpcPort).toBe(50051);
    expect(values.serviceName).toBe("svc");
    expect(values.version).toBe("1.2.3");
    expect(values.instanceName).toBe("");
    expect(values.corsAllowedOrigins).toEqual([]);
    expect(values.symbols).toEqual(["BTC-USD", "ETH-USD"]);
    expect(values.verbose).toBe(false);
    expect(values.postgresUrl).toBeUndefined();
    expect(origins.httpPort).toBe("default");
  });

  it("takes flags over the environment over the env file over defaults", () => {
    const envFile = writeEnv("HTTP_PORT=1111\nGRPC_PORT=2222\nTICK_INTERVAL_MS=7\n");
    const result = loadConfig(spec, {
      env: { HTTP_PORT: "3333", GRPC_PORT: "4444" },
      argv: ["--http-port", "5555"],
      envFile,
    });
    if (result.kind !== "values") throw new Error("expected values");
    expect(result.values.httpPort).toBe(5555);
    expect(result.values.grpcPort).toBe(4444);
    expect(result.values.tickIntervalMs).toBe(7);
    expect(result.origins).toMatchObject({
      httpPort: "flag",
      grpcPort: "env",
      tickIntervalMs: "env-file",
    });
  });

  it("accepts --flag=value and parses typed values", () => {
    const { values } = load({ VERBOSE: "yes", SYMBOLS: " SOL-USD , ,BTC-USD " }, [
      "--tick-interval-ms=250",
    ]);
    expect(values.tickIntervalMs).toBe(250);
    expect(values.verbose).toBe(true);
    expect(values.symbols).toEqual(["SOL-USD", "BTC-USD"]);
  });

  it.each([
    [{ HTTP_PORT: "abc" }, "HTTP_PORT", /HTTP_PORT \(--http-port\) must be an integer, got "abc"/],
    [{ HTTP_PORT: "70000" }, "HTTP_PORT", /must be at most 65535/],
    [{ GRPC_PORT: "-1" }, "GRPC_PORT", /must be at least 0/],
    [{ TICK_INTERVAL_MS: "1.5" }, "TICK_INTERVAL_MS", /must be an integer/],
    [{ VERBOSE: "maybe" }, "VERBOSE", /must be true or false/],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", /must be one of fatal, error/],
    [
      { POSTGRES_URL: "mysql://u:pw@h/db" },
      "POSTGRES_URL",
      /must be a URL starting with postgres:\/\//,
    ],
  ])("rejects %j naming the variable", (env, variable, message) => {
    let caught: unknown;
    try {
      load(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toMatch(message);
    expect((caught as ConfigError).message).not.toContain("\n");
  });

  it("never prints a secret value in its error", () => {
    expect(() => load({ POSTGRES_URL: "mysql://user:hunter2@h/db" })).toThrow(/<redacted>/);
    expect(() => load({ POSTGRES_URL: "mysql://user:hunter2@h/db" })).not.toThrow(/hunter2/);
  });

  it("rejects unknown flags and positionals with a pointer to --help", () => {
    expect(() => load({}, ["--no-such-flag", "1"])).toThrow(
      /invalid command line: .*--no-such-flag.*see --help/,
    );
    expect(() => load({}, ["stray"])).toThrow(ConfigError);
  });

  it("returns help for --help and -h", () => {
    expect(loadConfig(spec, { argv: ["--help"], env: {}, envFile: writeEnv("") }).kind).toBe(
      "help",
    );
    expect(loadConfig(spec, { argv: ["-h"], env: {}, envFile: writeEnv("") }).kind).toBe("help");
  });

  it("fails on an explicit env file that does not exist, ignores a missing default one", () => {
    expect(() => loadConfig(spec, { env: {}, argv: [], envFile: noFile })).toThrow(/ENV_FILE/);
    expect(() => loadConfig(spec, { env: { ENV_FILE: noFile }, argv: [] })).toThrow(
      /does not exist/,
    );
  });
});

describe("renderHelp", () => {
  it("lists every flag with its variable and default, hiding secrets", () => {
    const text = renderHelp("svc", "a service", {
      ...spec,
      password: setting({
        env: "DB_PASSWORD",
        description: "pw",
        default: "topsecret",
        schema: listSchema,
        secret: true,
      }),
    });
    for (const s of Object.values(spec)) {
      expect(text).toContain(s.env);
    }
    expect(text).toMatch(/--http-port\s+HTTP_PORT\s+8080\s+HTTP port/);
    expect(text).toMatch(/--tick-interval-ms\s+TICK_INTERVAL_MS\s+100/);
    expect(text).toContain("<secret>");
    expect(text).not.toContain("topsecret");
    expect(text).toContain("--help");
  });
});
