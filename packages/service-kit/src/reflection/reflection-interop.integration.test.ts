import { execFile } from "node:child_process";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import {
  file_grpc_health_v1_health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthStatusRegistry, registerHealthService } from "../grpc-health/index.js";
import { registerReflection } from "./reflection-service.js";

// Real clients against a real h2c server: the in-memory transport cannot prove that grpcurl-like
// tools understand the descriptors we serve, nor that the wire framing suits grpc-js.

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const buf = `${repoRoot}node_modules/.bin/buf`;
const healthProto = `${repoRoot}protobuf-schemas/third_party/grpc/health/v1/health.proto`;
const run = promisify(execFile);

const health = new HealthStatusRegistry({
  "": ServingStatus.SERVING,
  "pkg.Named": ServingStatus.SERVING,
});
const server = http2.createServer(
  connectNodeAdapter({
    routes(router) {
      registerHealthService(router, health);
      registerReflection(router, {
        files: [file_grpc_health_v1_health],
        serviceNames: ["grpc.health.v1.Health"],
      });
    },
  }),
);
const sessions = new Set<http2.ServerHttp2Session>();
server.on("session", (session) => {
  sessions.add(session);
  session.once("close", () => sessions.delete(session));
});
let base = "";
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const session of sessions) session.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function bufCurl(...args: string[]): Promise<string> {
  const { stdout } = await run(
    buf,
    ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args],
    { timeout: 20_000 },
  );
  return stdout;
}

describe("buf curl, schema from server reflection", () => {
  it.each(["grpc-v1", "grpc-v1alpha"])("lists the methods (%s)", async (protocol) => {
    const lines = (await bufCurl("--reflect-protocol", protocol, "--list-methods", base))
      .trim()
      .split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "grpc.health.v1.Health/Check",
        "grpc.health.v1.Health/Watch",
        "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
        "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      ]),
    );
  });

  it("lists the services", async () => {
    const lines = (await bufCurl("--list-services", base)).trim().split("\n");
    expect(lines.sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it.each(["grpc-v1", "grpc-v1alpha"])("calls Health/Check (%s)", async (protocol) => {
    const output = await bufCurl(
      "--reflect-protocol",
      protocol,
      "-d",
      '{"service":""}',
      `${base}/grpc.health.v1.Health/Check`,
    );
    expect(output).toContain('"status": "SERVING"');
    expect(JSON.parse(output)).toEqual({ status: "SERVING" });
  });
});

describe("a @grpc/grpc-js client", () => {
  type CheckResponse = { status: string };
  type HealthClient = grpc.Client & {
    Check(
      request: { service: string },
      callback: (error: grpc.ServiceError | null, response: CheckResponse) => void,
    ): grpc.ClientUnaryCall;
    Watch(request: { service: string }): grpc.ClientReadableStream<CheckResponse>;
  };
  let client: HealthClient;

  beforeAll(() => {
    const definition = protoLoader.loadSync(healthProto, { enums: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
    };
    client = new loaded.grpc.health.v1.Health(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as HealthClient;
  });

  afterAll(() => client.close());

  const check = (service: string) =>
    new Promise<CheckResponse>((resolve, reject) =>
      client.Check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
    );

  it("Check answers SERVING for the whole server and a named service", async () => {
    expect(await check("")).toEqual({ status: "SERVING" });
    expect(await check("pkg.Named")).toEqual({ status: "SERVING" });
  });

  it("Check of an unknown service fails with NOT_FOUND", async () => {
    const error = (await check("pkg.Unknown").catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.NOT_FOUND);
  });

  it("Watch streams the status and its change, and the client can cancel", async () => {
    const call = client.Watch({ service: "pkg.Named" });
    const statuses: string[] = [];
    const done = new Promise<void>((resolve) => {
      call.on("data", (response: CheckResponse) => {
        statuses.push(response.status);
        if (statuses.length === 1) health.set("pkg.Named", ServingStatus.NOT_SERVING);
        if (statuses.length === 2) call.cancel();
      });
      call.on("error", (error: grpc.ServiceError) => {
        expect(error.code).toBe(grpc.status.CANCELLED);
        resolve();
      });
    });
    await done;
    expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
    health.set("pkg.Named", ServingStatus.SERVING);
  });
});
