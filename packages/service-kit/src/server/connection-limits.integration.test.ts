import { once } from "node:events";
import * as http2 from "node:http2";
import { connect, type Socket } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "./run-service.js";

/** The HTTP/2 connection preface a client sends before its SETTINGS frame. */
const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/**
 * How long a connection the server should close may stay open before the test calls it held.
 * Generous against the configured timeouts below (a loaded machine), and far below "forever".
 */
const CLOSED_WITHIN_MS = 5_000;
const IDLE_TIMEOUT_MS = 600;

/** Starts the kit's test service with `env` on free ports; it holds one streaming REST route. */
async function start(env: Record<string, string>): Promise<RunningService> {
  const started = await startService(
    {
      serviceName: "kit-limits-service",
      version: "0.0.1",
      summary: "test",
      ports: { http: 0, grpc: 0 },
      settings: {},
      compose: () => ({
        rest: [
          {
            method: "GET",
            path: "/api/v1/hold",
            // A long response (like SSE): the head at once, then nothing until the client leaves.
            handler: async ({ res, signal }) => {
              res.writeHead(200, { "Content-Type": "text/plain" });
              (res as { write(chunk: string): boolean }).write("held\n");
              await new Promise((resolve) => signal.addEventListener("abort", resolve));
              res.end();
            },
          },
        ],
      }),
    },
    { argv: [], env: { HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env }, envFile: "/dev/null" },
  );
  if (started === "help") throw new Error("unexpected help");
  return started;
}

/** A raw TCP connection that records what it receives and when it closes. */
async function rawConnection(port: number): Promise<{
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
}> {
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => undefined);
  let received = "";
  socket.on("data", (data: Buffer) => {
    received += data.toString("latin1");
  });
  const openedAt = Date.now();
  const closed = once(socket, "close").then(() => Date.now() - openedAt);
  await once(socket, "connect");
  return { socket, received: () => received, closed };
}

/** Resolves `true` when `closed` settles within `ms`, `false` when the socket is still open. */
async function closesWithin(closed: Promise<number>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const held = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([closed.then(() => true as const), held]);
  clearTimeout(timer);
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("connection timeouts (HEADERS_TIMEOUT_MS, HTTP2_HANDSHAKE_TIMEOUT_MS, IDLE_TIMEOUT_MS)", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await start({
      HEADERS_TIMEOUT_MS: "400",
      HTTP2_HANDSHAKE_TIMEOUT_MS: "400",
      IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const ports = () =>
    [
      ["HTTP port", service.ports.http],
      ["gRPC port", service.ports.grpc],
    ] as const;

  it("closes a connection that sends `GE` and nothing more, on both ports", async () => {
    for (const [name, port] of ports()) {
      const raw = await rawConnection(port);
      raw.socket.write("GE");
      expect(await closesWithin(raw.closed, CLOSED_WITHIN_MS), name).toBe(true);
      raw.socket.destroy();
    }
  });

  it("closes a connection that stops inside the HTTP/2 preface, on both ports", async () => {
    for (const [name, port] of ports()) {
      const raw = await rawConnection(port);
      raw.socket.write(PREFACE.slice(0, 10));
      expect(await closesWithin(raw.closed, CLOSED_WITHIN_MS), name).toBe(true);
      raw.socket.destroy();
    }
  });

  it("closes an HTTP/2 connection that sends the preface but no SETTINGS, on both ports", async () => {
    for (const [name, port] of ports()) {
      const raw = await rawConnection(port);
      raw.socket.write(PREFACE);
      expect(await closesWithin(raw.closed, CLOSED_WITHIN_MS), name).toBe(true);
      raw.socket.destroy();
    }
  });

  it("closes a connection that stops half-way through a request head", async () => {
    const raw = await rawConnection(service.ports.http);
    raw.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n");
    expect(await closesWithin(raw.closed, CLOSED_WITHIN_MS)).toBe(true);
    raw.socket.destroy();
  });

  it("closes an idle HTTP/1.1 keep-alive connection after its response", async () => {
    const raw = await rawConnection(service.ports.http);
    raw.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await closesWithin(raw.closed, CLOSED_WITHIN_MS)).toBe(true);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 200/);
  });

  it("closes an idle HTTP/2 session after its last stream, on both ports", async () => {
    for (const [name, port] of ports()) {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      session.on("error", () => undefined);
      const closed = once(session, "close").then(() => 0);
      const stream = session.request({ ":path": "/api/v1/health" });
      stream.resume();
      stream.end();
      await once(stream, "close");
      expect(await closesWithin(closed, CLOSED_WITHIN_MS), name).toBe(true);
    }
  });

  it("keeps an open HTTP/2 stream (Health.Watch) past the idle timeout, on both ports", async () => {
    for (const [name, port] of ports()) {
      const controller = new AbortController();
      const client = createClient(
        Health,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }),
      );
      const watch = client.watch({}, { signal: controller.signal })[Symbol.asyncIterator]();
      expect((await watch.next()).done, name).toBe(false);
      let ended = false;
      const next = watch.next().then(
        () => {
          ended = true;
        },
        () => {
          ended = true;
        },
      );
      await sleep(IDLE_TIMEOUT_MS * 4);
      expect(ended, `${name}: the stream was cut while open`).toBe(false);
      // The session of the stream still serves calls.
      await expect(client.check({}), name).resolves.toBeDefined();
      controller.abort();
      await next;
    }
  });

  it("keeps an HTTP/1.1 response in progress past the idle timeout", async () => {
    const raw = await rawConnection(service.ports.http);
    raw.socket.write("GET /api/v1/hold HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await closesWithin(raw.closed, IDLE_TIMEOUT_MS * 4)).toBe(false);
    expect(raw.received()).toContain("held");
    raw.socket.destroy();
  });
});

describe("connection cap (MAX_CLIENT_CONNECTIONS)", () => {
  const CAP = 3;
  let service: RunningService;
  beforeAll(async () => {
    service = await start({ MAX_CLIENT_CONNECTIONS: String(CAP), IDLE_TIMEOUT_MS: "60000" });
  });
  afterAll(async () => {
    await service?.stop();
  });

  /** Sends one keep-alive request on `raw` and resolves with the response head's status line. */
  async function request(raw: Awaited<ReturnType<typeof rawConnection>>): Promise<string> {
    const before = raw.received().length;
    raw.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    for (let waited = 0; waited < CLOSED_WITHIN_MS; waited += 20) {
      const fresh = raw.received().slice(before);
      if (fresh.includes("\r\n\r\n")) return fresh.slice(0, fresh.indexOf("\r\n"));
      await sleep(20);
    }
    return "no response";
  }

  it("refuses connections beyond the cap while the open ones keep working, on both ports", async () => {
    for (const [name, port] of [
      ["HTTP port", service.ports.http],
      ["gRPC port", service.ports.grpc],
    ] as const) {
      const open = [];
      for (let i = 0; i < CAP; i += 1) {
        const raw = await rawConnection(port);
        // A response proves the connection was accepted and counted.
        expect(await request(raw), name).toMatch(/^HTTP\/1\.1 /);
        open.push(raw);
      }
      const extra = await rawConnection(port);
      extra.socket.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(await closesWithin(extra.closed, CLOSED_WITHIN_MS), name).toBe(true);
      expect(extra.received(), name).toBe("");
      for (const raw of open) expect(await request(raw), name).toMatch(/^HTTP\/1\.1 /);
      for (const raw of open) raw.socket.destroy();
      await Promise.all(open.map((raw) => raw.closed));
      // Below the cap again: a new connection is served.
      await sleep(100);
      const again = await rawConnection(port);
      expect(await request(again), name).toMatch(/^HTTP\/1\.1 /);
      again.socket.destroy();
    }
  });
});
