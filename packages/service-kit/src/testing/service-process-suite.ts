import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  Health,
  HealthCheckResponse_ServingStatus as Status,
} from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runServiceToExit, type SpawnedService, spawnService } from "./spawn-service.js";

/** What a service's process is expected to be, for {@link describeServiceProcess}. */
export interface ServiceProcessExpectations {
  /** Absolute path of the app's `src/main.ts`. */
  readonly entry: string;
  /** Default `SERVICE_NAME`. */
  readonly serviceName: string;
  /** The app's package version (default `SERVICE_VERSION`). */
  readonly version: string;
  readonly defaultPorts: { readonly http: number; readonly grpc: number };
  /** Default Redis namespace of a single instance (`market:data:`, `trading:engine:`). */
  readonly defaultNamespace: string;
  /**
   * Readiness checks that fail while the service runs alone (e.g. `market_data` of a service
   * that needs another one): the suite then expects 503 with exactly these checks in error.
   */
  readonly peerChecks?: readonly string[];
  /**
   * The service's own invalid settings, each with the variable the refusal must name, and
   * {@link COMMON_INVALID_SETTINGS} or {@link HOSTILE_IDENTITY_SETTINGS} to run them through
   * this service's start-up.
   */
  readonly invalidSettings?: readonly (readonly [Record<string, string>, string])[];
  /**
   * Where a refused start-up could write, to prove it wrote nothing: `env` joins every refused
   * run (its stores' URLs and an instance name of its own), and `assertNothingWritten` runs after
   * each refusal (no schema, table or Redis key of that instance, nor of a hostile name).
   */
  readonly refusalStores?: {
    readonly env: Readonly<Record<string, string>>;
    readonly assertNothingWritten: () => Promise<void>;
  };
}

/**
 * Instance names and overrides that must never reach Postgres or Redis: SQL and identifier
 * quoting, reserved schemas, path and glob characters, namespace separators and the discovery
 * prefix, a Redis key family as a segment (a namespace reaching into another instance's keys),
 * over-long names and non-ASCII (the full rules are unit-tested in instance-naming).
 */
export const HOSTILE_IDENTITY_SETTINGS: readonly (readonly [Record<string, string>, string])[] = [
  [{ SERVICE_INSTANCE_NAME: 'x"; drop schema public cascade; --' }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "x'; select pg_sleep(10); --" }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: ".." }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "*" }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "sim:a" }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "pg-toast" }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "market-data-sim-binance-quote" }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "a".repeat(64) }, "SERVICE_INSTANCE_NAME"],
  [{ SERVICE_INSTANCE_NAME: "börse-1" }, "SERVICE_INSTANCE_NAME"],
  [{ SCHEMA_NAME: 'public"; drop table candles; --' }, "SCHEMA_NAME"],
  [{ SCHEMA_NAME: "s".repeat(64) }, "SCHEMA_NAME"],
  [{ REDIS_NAMESPACE: "*" }, "REDIS_NAMESPACE"],
  [{ REDIS_NAMESPACE: "registry:services:" }, "REDIS_NAMESPACE"],
  [{ REDIS_NAMESPACE: "../" }, "REDIS_NAMESPACE"],
  [{ REDIS_NAMESPACE: "market:data:sim:binance:prices:" }, "REDIS_NAMESPACE"],
];

/** Invalid settings every service's suite refuses (a sample of the kit's rules). */
const BASE_INVALID_SETTINGS: readonly (readonly [Record<string, string>, string])[] = [
  [{ SERVICE_INSTANCE_NAME: "Bad_Name" }, "SERVICE_INSTANCE_NAME"],
  [{ HTTP_PORT: "99999" }, "HTTP_PORT"],
  [{ SCHEMA_NAME: "pg_catalog" }, "SCHEMA_NAME"],
  [{ REDIS_NAMESPACE: "no-trailing-colon" }, "REDIS_NAMESPACE"],
  [{ LOG_LEVEL: "chatty" }, "LOG_LEVEL"],
];

/**
 * With {@link BASE_INVALID_SETTINGS}, an invalid value of every other setting the kit defines
 * (`common-settings.ts`), with the variable its refusal names. The rules are the kit's, so one
 * service's suite runs them (through its real start-up) and the other runs
 * {@link HOSTILE_IDENTITY_SETTINGS}, which keeps the two suites' cost even.
 */
export const COMMON_INVALID_SETTINGS: readonly (readonly [Record<string, string>, string])[] = [
  [{ SERVICE_NAME: "Market Data" }, "SERVICE_NAME"],
  [{ SERVICE_VERSION: "1.0 beta" }, "SERVICE_VERSION"],
  [{ ENVIRONMENT: "prod uction" }, "ENVIRONMENT"],
  [{ HOST: "not a host" }, "HOST"],
  [{ HOST: "host.invalid" }, "HOST"],
  [{ GRPC_PORT: "port" }, "GRPC_PORT"],
  [{ CORS_ALLOWED_ORIGINS: "https://app.example/path" }, "CORS_ALLOWED_ORIGINS"],
  [{ AUTH_TOKENS: "too-short" }, "AUTH_TOKENS"],
  [{ AUTH_TOKENS_FILE: "/nonexistent/auth-tokens" }, "AUTH_TOKENS_FILE"],
  [{ AUTH_PROTECT_READS: "true" }, "AUTH_PROTECT_READS"],
  [{ MAX_REQUEST_BYTES: "10" }, "MAX_REQUEST_BYTES"],
  [{ READINESS_CACHE_MS: "-1" }, "READINESS_CACHE_MS"],
  [{ HEADERS_TIMEOUT_MS: "0" }, "HEADERS_TIMEOUT_MS"],
  [{ HTTP2_HANDSHAKE_TIMEOUT_MS: "soon" }, "HTTP2_HANDSHAKE_TIMEOUT_MS"],
  [{ IDLE_TIMEOUT_MS: "99" }, "IDLE_TIMEOUT_MS"],
  [{ MAX_CLIENT_CONNECTIONS: "0" }, "MAX_CLIENT_CONNECTIONS"],
  [{ SHUTDOWN_TIMEOUT_MS: "0" }, "SHUTDOWN_TIMEOUT_MS"],
  [{ METRICS_BACKEND: "statsd" }, "METRICS_BACKEND"],
  [{ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
  [{ OTEL_METRIC_EXPORT_INTERVAL: "1" }, "OTEL_METRIC_EXPORT_INTERVAL"],
  [{ ENV_FILE: "/nonexistent/service.env" }, "ENV_FILE"],
];

/**
 * The process-level contract every service keeps (docs/data-model.md#instance-identity,
 * docs/protocols.md#common-http-endpoints, docs/operations.md#start-up), as a vitest suite run
 * against the real entry point: `--help`, one-line start-up errors naming the variable (for a
 * sample of the kit's rules and the service's `invalidSettings`, with nothing written to the
 * `refusalStores`), the identity in health output and metrics, derived names in the start-up log,
 * gRPC health on the gRPC port, and a clean exit on SIGTERM.
 */
export function describeServiceProcess(expected: ServiceProcessExpectations): void {
  describe(`${expected.serviceName} process`, () => {
    it("prints every setting with its default on --help and exits 0", async () => {
      const { code, stdout } = await runServiceToExit(expected.entry, ["--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(
        new RegExp(`--http-port\\s+HTTP_PORT\\s+${expected.defaultPorts.http}\\b`),
      );
      expect(stdout).toMatch(
        new RegExp(`--grpc-port\\s+GRPC_PORT\\s+${expected.defaultPorts.grpc}\\b`),
      );
      expect(stdout).toMatch(new RegExp(`SERVICE_NAME\\s+${expected.serviceName}\\b`));
    });

    const invalidSettings = [...BASE_INVALID_SETTINGS, ...(expected.invalidSettings ?? [])];
    const refuses = async (args: readonly string[], env: Record<string, string>) => {
      const { code, stdout, stderr } = await runServiceToExit(expected.entry, args, {
        ...expected.refusalStores?.env,
        ...env,
      });
      await expected.refusalStores?.assertNothingWritten();
      return { code, stdout, lines: stderr.trim().split("\n") };
    };
    it.concurrent.for(invalidSettings)(
      "refuses to start with %j, in one line naming %s, writing nothing",
      async ([env, variable], { expect }) => {
        const { code, stdout, lines } = await refuses([], env);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(variable);
      },
    );
    it.concurrent.for([
      [["--http-port", "99999"], "HTTP_PORT"],
      [["--no-such-flag", "1"], "--help"],
    ] as const)(
      "refuses the command line %j in one line naming %s",
      async ([args, named], { expect }) => {
        const { code, stdout, lines } = await refuses(args, {});
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(named);
      },
    );

    describe("running as a named instance", () => {
      let service: SpawnedService;
      beforeAll(async () => {
        service = await spawnService(expected.entry, {
          SERVICE_INSTANCE_NAME: "e2e-instance-01",
          LOG_LEVEL: "info",
        });
      });
      afterAll(async () => {
        await service?.stop("SIGKILL");
      });

      it("reports its identity and derived names", async () => {
        const health = await (
          await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/health`)
        ).json();
        expect(health).toMatchObject({
          status: "healthy",
          service: expected.serviceName,
          instance: "e2e-instance-01",
          version: expected.version,
          environment: "development",
        });
        const startLine = service
          .output()
          .split("\n")
          .find((line) => line.includes("listening on http"));
        expect(JSON.parse(startLine ?? "{}")).toMatchObject({
          service: expected.serviceName,
          instance: "e2e-instance-01",
          schema: "e2e_instance_01",
          redisNamespace: "e2e:instance:01:",
        });
      });

      it("reports readiness, serves metrics with its constant labels and gRPC health on the gRPC port", async () => {
        const ready = await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/ready`);
        const peers = expected.peerChecks ?? [];
        expect(ready.status).toBe(peers.length === 0 ? 200 : 503);
        const { checks } = (await ready.json()) as { checks: Record<string, string> };
        for (const [name, result] of Object.entries(checks)) {
          expect(result.startsWith("error") ? "error" : "ok", name).toBe(
            peers.includes(name) ? "error" : "ok",
          );
        }
        const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
        const constantLabels = [
          `service="${expected.serviceName}"`,
          'instance="e2e-instance-01"',
          `version="${expected.version}"`,
        ];
        const samples = metrics
          .split("\n")
          .filter((line) => line.length > 0 && !line.startsWith("#"));
        expect(samples.length).toBeGreaterThan(10);
        for (const sample of samples) {
          for (const label of constantLabels) expect(sample).toContain(label);
        }
        expect(samples.some((line) => line.startsWith("process_cpu_user_seconds_total"))).toBe(
          true,
        );
        const client = createClient(
          Health,
          createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
        );
        expect((await client.check({ service: expected.serviceName })).status).toBe(Status.SERVING);
      });

      it("exits 0 on SIGTERM", async () => {
        expect(await service.stop("SIGTERM")).toBe(0);
        expect(service.output()).toContain('"msg":"stopped"');
      });
    });

    it("uses its default namespace as a single instance", async () => {
      const single = await spawnService(expected.entry, { LOG_LEVEL: "info" });
      try {
        const startLine = single
          .output()
          .split("\n")
          .find((line) => line.includes("listening on http"));
        expect(JSON.parse(startLine ?? "{}")).toMatchObject({
          instance: expected.serviceName,
          schema: "public",
          redisNamespace: expected.defaultNamespace,
        });
      } finally {
        expect(await single.stop()).toBe(0);
      }
    });
  });
}
