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
  /** The service's own invalid settings, each with the variable the refusal must name. */
  readonly invalidSettings?: readonly (readonly [Record<string, string>, string])[];
}

/**
 * The process-level contract every service keeps (DESIGN §3, §4.1, §9), as a vitest suite run
 * against the real entry point: `--help`, one-line start-up errors naming the variable, the
 * identity in health output and metrics, derived names in the start-up log, gRPC health on the
 * gRPC port, and a clean exit on SIGTERM.
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

    const invalidSettings: (readonly [Record<string, string>, string])[] = [
      [{ SERVICE_INSTANCE_NAME: "Bad_Name" }, "SERVICE_INSTANCE_NAME"],
      [{ HTTP_PORT: "99999" }, "HTTP_PORT"],
      [{ SCHEMA_NAME: "pg_catalog" }, "SCHEMA_NAME"],
      [{ REDIS_NAMESPACE: "no-trailing-colon" }, "REDIS_NAMESPACE"],
      [{ LOG_LEVEL: "chatty" }, "LOG_LEVEL"],
      ...(expected.invalidSettings ?? []),
    ];
    it.each(invalidSettings)(
      "refuses to start with %j, in one line naming %s",
      async (env, variable) => {
        const { code, stdout, stderr } = await runServiceToExit(expected.entry, [], env);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        const lines = stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(variable);
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
