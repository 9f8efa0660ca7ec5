import { spawn } from "node:child_process";
import { once } from "node:events";
import * as http2 from "node:http2";
import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import {
  Health,
  HealthCheckResponse_ServingStatus as Status,
} from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "../http/http-error.js";
import { repoRoot, type SpawnedService, spawnService } from "../testing/spawn-service.js";
import { type RunningService, startService } from "./run-service.js";

let ready = true;
let service: RunningService;
let base: string;
let grpcBase: string;

beforeAll(async () => {
  const started = await startService(
    {
      serviceName: "kit-test-service",
      version: "0.0.1",
      summary: "test",
      ports: { http: 0, grpc: 0 },
      settings: {},
      compose: () => ({
        readiness: {
          flag: async () => {
            if (!ready) throw new Error("flag is down");
          },
          postgres: "disabled",
        },
        rest: [
          {
            method: "GET",
            path: "/api/v1/echo/:word",
            handler: ({ params, query }) => ({ word: params.word, n: query.get("n") }),
          },
          {
            method: "GET",
            path: "/api/v1/bad",
            handler: () => {
              throw HttpError.badRequest("limit must be ≤ 1000");
            },
          },
          {
            method: "GET",
            path: "/api/v1/boom",
            handler: () => {
              throw new Error("secret internals");
            },
          },
        ],
      }),
    },
    {
      argv: [],
      env: {
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        READINESS_CACHE_MS: "0",
        CORS_ALLOWED_ORIGINS: "http://dashboard.local",
      },
      envFile: "/dev/null",
    },
  );
  if (started === "help") throw new Error("unexpected help");
  service = started;
  base = `http://127.0.0.1:${service.ports.http}`;
  grpcBase = `http://127.0.0.1:${service.ports.grpc}`;
});

afterAll(async () => {
  await service?.stop();
});

const transports: [string, () => Transport][] = [
  [
    "Connect JSON over HTTP/1.1",
    () => createConnectTransport({ baseUrl: base, httpVersion: "1.1" }),
  ],
  [
    "Connect binary over HTTP/1.1",
    () => createConnectTransport({ baseUrl: base, httpVersion: "1.1", useBinaryFormat: true }),
  ],
  ["Connect JSON over h2c", () => createConnectTransport({ baseUrl: base, httpVersion: "2" })],
  [
    "Connect binary over h2c",
    () => createConnectTransport({ baseUrl: base, httpVersion: "2", useBinaryFormat: true }),
  ],
  ["gRPC over h2c (HTTP port)", () => createGrpcTransport({ baseUrl: base })],
  ["gRPC over h2c (gRPC port)", () => createGrpcTransport({ baseUrl: grpcBase })],
  ["gRPC-Web over HTTP/1.1", () => createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1" })],
  ["gRPC-Web over h2c", () => createGrpcWebTransport({ baseUrl: base, httpVersion: "2" })],
  [
    "gRPC-Web JSON over HTTP/1.1",
    () => createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1", useBinaryFormat: false }),
  ],
];

describe.each(transports)("%s", (_name, makeTransport) => {
  it("answers a unary call", async () => {
    const client = createClient(Health, makeTransport());
    expect((await client.check({ service: "" })).status).toBe(Status.SERVING);
    expect((await client.check({ service: "kit-test-service" })).status).toBe(Status.SERVING);
  });

  it("maps errors to Connect codes", async () => {
    const client = createClient(Health, makeTransport());
    const error = await client.check({ service: "no.such.Service" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
  });

  it("streams from the server", async () => {
    const client = createClient(Health, makeTransport());
    const controller = new AbortController();
    const first = await client
      .watch({ service: "" }, { signal: controller.signal })
      [Symbol.asyncIterator]()
      .next();
    controller.abort();
    expect(first.done).toBe(false);
    expect(first.value?.status).toBe(Status.SERVING);
  });
});

describe("many concurrent streams", () => {
  it("are held without a listener-leak warning (each one listens to the shutdown signal)", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    try {
      const client = createClient(Health, createGrpcTransport({ baseUrl: grpcBase }));
      const firsts = await Promise.all(
        controllers.map((controller) =>
          client
            .watch({ service: "" }, { signal: controller.signal })
            [Symbol.asyncIterator]()
            .next(),
        ),
      );
      expect(firsts.every((first) => first.value?.status === Status.SERVING)).toBe(true);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      for (const controller of controllers) controller.abort();
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});

describe("a standard @grpc/grpc-js client", () => {
  const definition = protoLoader.loadSync(
    `${repoRoot}protobuf-schemas/third_party/grpc/health/v1/health.proto`,
    {
      enums: String,
    },
  );
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };
  const HealthClient = loaded.grpc.health.v1.Health;

  it.each(["http", "grpc"] as const)("calls Health/Check on the %s port", async (port) => {
    const client = new HealthClient(
      `127.0.0.1:${service.ports[port]}`,
      grpc.credentials.createInsecure(),
    );
    try {
      const response = await new Promise<{ status: string }>((resolve, reject) =>
        client.Check?.({ service: "" }, (error: Error | null, value: { status: string }) =>
          error ? reject(error) : resolve(value),
        ),
      );
      expect(response.status).toBe("SERVING");
    } finally {
      client.close();
    }
  });
});

describe("server reflection", () => {
  it("lets buf curl list the services without a schema", async () => {
    const output = await run(`${repoRoot}node_modules/.bin/buf`, [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "--list-services",
      grpcBase,
    ]);
    expect(output.split("\n")).toEqual(
      expect.arrayContaining(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"]),
    );
  });

  it("lets buf curl call a method through the HTTP port, schema from reflection", async () => {
    const output = await run(`${repoRoot}node_modules/.bin/buf`, [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "-d",
      '{"service":""}',
      `${base}/grpc.health.v1.Health/Check`,
    ]);
    expect(JSON.parse(output)).toEqual({ status: "SERVING" });
  });
});

describe("HTTP endpoints", () => {
  it("serves liveness with the identity", async () => {
    const response = await fetch(`${base}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "healthy",
      service: "kit-test-service",
      instance: "kit-test-service",
      version: "0.0.1",
      environment: "development",
    });
  });

  it("flips readiness to 503 when a check fails, and back", async () => {
    const up = await fetch(`${base}/api/v1/ready`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({
      status: "ready",
      checks: { flag: "ok", postgres: "disabled" },
    });
    ready = false;
    const down = await fetch(`${base}/api/v1/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "not_ready",
      checks: { flag: "error: flag is down", postgres: "disabled" },
    });
    ready = true;
    expect((await fetch(`${base}/api/v1/ready`)).status).toBe(200);
  });

  it("routes REST templates, and answers errors as JSON", async () => {
    expect(await (await fetch(`${base}/api/v1/echo/hello?n=3`)).json()).toEqual({
      word: "hello",
      n: "3",
    });
    const bad = await fetch(`${base}/api/v1/bad`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: "invalid_parameter", message: "limit must be ≤ 1000" },
    });
    const missing = await fetch(`${base}/api/v1/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const wrongMethod = await fetch(`${base}/api/v1/echo/x`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    const boom = await fetch(`${base}/api/v1/boom`);
    expect(boom.status).toBe(500);
    const body = await boom.text();
    expect(JSON.parse(body)).toEqual({ error: { code: "internal", message: "internal error" } });
    expect(body).not.toContain("secret internals");
  });

  it("serves REST over h2c on the same port", async () => {
    const session = http2.connect(base);
    try {
      const stream = session.request({ ":path": "/api/v1/echo/h2" });
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      const [headers] = (await once(stream, "response")) as [http2.IncomingHttpHeaders];
      await once(stream, "end");
      expect(headers[":status"]).toBe(200);
      expect(JSON.parse(text)).toEqual({ word: "h2", n: null });
    } finally {
      session.close();
    }
  });

  it("answers a CORS preflight with 204 and the Connect / gRPC-Web headers", async () => {
    const response = await fetch(`${base}/grpc.health.v1.Health/Check`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://dashboard.local",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,connect-protocol-version",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://dashboard.local");
    const allowed = response.headers.get("access-control-allow-headers") ?? "";
    for (const header of [
      "Content-Type",
      "Connect-Protocol-Version",
      "Connect-Timeout-Ms",
      "Grpc-Timeout",
      "X-Grpc-Web",
      "X-User-Agent",
    ]) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get("access-control-expose-headers")).toContain("Grpc-Status");
  });

  it("exposes HTTP and RPC metrics with route templates and constant labels", async () => {
    await fetch(`${base}/api/v1/echo/abc`);
    await fetch(`${base}/some/random/path/12345`);
    const text = await (await fetch(`${base}/metrics`)).text();
    const requests = text.split("\n").filter((line) => line.startsWith("http_requests_total{"));
    expect(
      requests.some(
        (line) => line.includes('route="/api/v1/echo/:word"') && line.includes('code="200"'),
      ),
    ).toBe(true);
    expect(
      requests.some((line) => line.includes('route="unknown"') && line.includes('code="404"')),
    ).toBe(true);
    expect(text).not.toContain("12345");
    expect(text).not.toContain("/api/v1/echo/abc");
    const rpc = text.split("\n").filter((line) => line.startsWith("grpc_server_requests_total{"));
    expect(rpc.some((line) => line.includes('method="/grpc.health.v1.Health/Check"'))).toBe(true);
    expect(
      rpc.every(
        (line) => line.includes('service="kit-test-service"') && line.includes('version="0.0.1"'),
      ),
    ).toBe(true);
    expect((await fetch(`${base}/api/v1/metrics`)).status).toBe(200);
  });
});

describe("graceful shutdown of a service process", () => {
  let fixture: SpawnedService | undefined;
  afterAll(async () => {
    await fixture?.stop("SIGKILL");
  });

  it("on SIGTERM reports NOT_SERVING, ends open streams cleanly and exits 0", async () => {
    fixture = await spawnService(
      fileURLToPath(new URL("../testing/fixture-service.ts", import.meta.url)),
    );
    const client = createClient(
      Health,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${fixture.httpPort}` }),
    );
    const statuses: Status[] = [];
    let streamError: unknown;
    const watching = (async () => {
      for await (const message of client.watch({ service: "" })) statuses.push(message.status);
    })().catch((error: unknown) => {
      streamError = error;
    });
    while (statuses.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    const code = await fixture.stop("SIGTERM");
    await watching;
    expect(streamError).toBeUndefined();
    expect(statuses).toEqual([Status.SERVING, Status.NOT_SERVING]);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${command} exited ${code}: ${err}`)),
    );
  });
}
