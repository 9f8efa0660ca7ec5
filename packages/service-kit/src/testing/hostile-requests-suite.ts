import * as http2 from "node:http2";
import { type DescMessage, type DescMethodUnary, type Message, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { MAX_ERROR_MESSAGE_LENGTH } from "../server/bounded-error-messages.js";

/** The origin {@link describeHostileRequests} expects the service to allow. */
const ALLOWED_TEST_ORIGIN = "https://allowed.example";

/**
 * Settings a service must be started with for {@link describeHostileRequests}: CORS restricted to
 * {@link ALLOWED_TEST_ORIGIN} and a 64 KiB request limit.
 */
export const HOSTILE_REQUESTS_ENV: Readonly<Record<string, string>> = Object.freeze({
  CORS_ALLOWED_ORIGINS: `${ALLOWED_TEST_ORIGIN},https://second.example`,
  MAX_REQUEST_BYTES: "65536",
});

/** What {@link describeHostileRequests} sends requests to. */
export interface HostileRequestsTarget {
  readonly httpPort: number;
  readonly grpcPort: number;
}

/** A unary RPC of the service, with a valid request and one whose string field is too long. */
export interface HostileRequestsMethod<I extends DescMessage, O extends DescMessage> {
  readonly method: DescMethodUnary<I, O>;
  /** A request the service answers (OK or a refusal, any code but Internal/Unknown). */
  readonly valid: Message & { $typeName: I["typeName"] };
  /** The same request with `text` (100 000 characters) in a field the refusal quotes. */
  readonly quoting: (text: string) => Message & { $typeName: I["typeName"] };
}

interface RawAnswer {
  readonly status: number;
  readonly headers: http2.IncomingHttpHeaders;
  readonly trailers: http2.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request over cleartext HTTP/2 (prior knowledge), answered in full. */
function rawHttp2(
  port: number,
  headers: http2.OutgoingHttpHeaders,
  body: Buffer | undefined,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ...headers });
    let answerHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      answerHeaders = h;
    });
    stream.on("trailers", (t) => {
      trailers = t;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("end", () => {
      session.close();
      resolve({
        status: Number(answerHeaders[":status"]),
        headers: answerHeaders,
        trailers,
        body: Buffer.concat(chunks),
      });
    });
    stream.end(body);
  });
}

/** One HTTP/1.1 request via fetch: status, headers and text. */
async function http1(
  port: number,
  path: string,
  init: RequestInit,
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A gRPC length-prefixed message frame; `declared` overrides the length in its header. */
function envelope(payload: Uint8Array, declared = payload.length): Buffer {
  const frame = Buffer.alloc(5 + payload.length);
  frame.writeUInt32BE(declared, 1);
  frame.set(payload, 5);
  return frame;
}

/** The grpc-status of a gRPC answer (trailers, or headers for a trailers-only answer). */
function grpcStatus(answer: RawAnswer): number {
  return Number(answer.trailers["grpc-status"] ?? answer.headers["grpc-status"]);
}

/**
 * The protocol-level contract of a service's HTTP and gRPC ports under hostile requests
 * (docs/protocols.md#rest-error-body, docs/protocols.md#ports), run against its real process
 * started with {@link HOSTILE_REQUESTS_ENV}:
 *
 * - malformed bodies on every protocol — Connect JSON with invalid JSON or the wrong content
 *   type, Connect proto, gRPC and gRPC-Web with truncated protobuf or a short envelope — get
 *   `invalid_argument` / 415, never `internal`;
 * - a message past `MAX_REQUEST_BYTES` gets `resource_exhausted` on every protocol;
 * - a refusal quoting a 100 000-character value has its message bounded, and the HTTP/2
 *   connection it came on keeps serving other calls;
 * - an oversized request head (431) and a large body on a REST route are refused;
 * - CORS echoes an allowed origin (with `Vary: Origin`), answers nothing to another one, and
 *   answers preflights with 204;
 * - the service still serves afterwards.
 */
export function describeHostileRequests<I extends DescMessage, O extends DescMessage>(
  title: string,
  options: {
    readonly target: () => HostileRequestsTarget;
    readonly unary: HostileRequestsMethod<I, O>;
    /** A REST route of the service answering 200 to a plain GET. */
    readonly restPath: string;
  },
): void {
  const { method, valid, quoting } = options.unary;
  const path = `/${method.parent.typeName}/${method.name}`;
  const encoded = toBinary(method.input, valid as never);
  const truncated = encoded.subarray(0, Math.max(1, encoded.length - 2));
  const oversized = toBinary(method.input, quoting("x".repeat(70_000)) as never);

  describe(title, () => {
    it("answers malformed Connect bodies with invalid_argument or 415", async () => {
      const { httpPort } = options.target();
      const json = { "Content-Type": "application/json", "Connect-Protocol-Version": "1" };
      for (const body of ["{", "[]", '"text"', "\u0000\u0001", '{"a":'.repeat(50)]) {
        const answer = await http1(httpPort, path, { method: "POST", headers: json, body });
        expect(answer.status, body).toBe(400);
        expect(JSON.parse(answer.text).code, body).toBe("invalid_argument");
      }
      const wrongType = await http1(httpPort, path, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: "{}",
      });
      expect(wrongType.status).toBe(415);
      const proto = await http1(httpPort, path, {
        method: "POST",
        headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1" },
        body: truncated,
      });
      expect(proto.status).toBe(400);
      expect(JSON.parse(proto.text).code).toBe("invalid_argument");
    });

    it("answers truncated gRPC and gRPC-Web messages with INVALID_ARGUMENT on both ports", async () => {
      const { httpPort, grpcPort } = options.target();
      for (const port of [grpcPort, httpPort]) {
        for (const body of [envelope(truncated), envelope(encoded, encoded.length + 10)]) {
          const answer = await rawHttp2(
            port,
            { ":path": path, "content-type": "application/grpc", te: "trailers" },
            body,
          );
          expect(answer.status).toBe(200);
          expect(grpcStatus(answer)).toBe(Code.InvalidArgument);
        }
      }
      const web = await http1(httpPort, path, {
        method: "POST",
        headers: { "Content-Type": "application/grpc-web+proto", "X-Grpc-Web": "1" },
        body: envelope(truncated),
      });
      expect(web.status).toBe(200);
      const status = web.headers.get("grpc-status") ?? /grpc-status:\s*(\d+)/.exec(web.text)?.[1];
      expect(Number(status)).toBe(Code.InvalidArgument);
    });

    it("answers a message past MAX_REQUEST_BYTES with resource_exhausted on every protocol", async () => {
      const { httpPort, grpcPort } = options.target();
      const connectJson = await http1(httpPort, path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
        body: JSON.stringify({ padding: "x".repeat(70_000) }),
      });
      expect(JSON.parse(connectJson.text).code).toBe("resource_exhausted");
      const connectProto = await http1(httpPort, path, {
        method: "POST",
        headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1" },
        body: oversized,
      });
      expect(JSON.parse(connectProto.text).code).toBe("resource_exhausted");
      for (const port of [grpcPort, httpPort]) {
        const answer = await rawHttp2(
          port,
          { ":path": path, "content-type": "application/grpc", te: "trailers" },
          envelope(oversized),
        );
        expect(grpcStatus(answer)).toBe(Code.ResourceExhausted);
      }
    });

    it("bounds a refusal that quotes a huge value, and the connection keeps serving", async () => {
      const { grpcPort } = options.target();
      const client = createClient(
        method.parent,
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` }),
      ) as unknown as Record<string, (request: Message) => Promise<unknown>>;
      const call = client[method.localName] as (request: Message) => Promise<unknown>;
      const refusal = await call(quoting("y".repeat(60_000))).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ConnectError);
      const error = refusal as ConnectError;
      expect([Code.InvalidArgument, Code.NotFound]).toContain(error.code);
      expect(error.rawMessage.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH + 1);
      // The same HTTP/2 session serves the next call.
      const next = await call(valid).catch((e: unknown) => e);
      if (next instanceof ConnectError) {
        expect([Code.Internal, Code.Unknown, Code.Unavailable]).not.toContain(next.code);
      }
    });

    it("refuses an oversized request head and a large body on a REST route", async () => {
      const { httpPort } = options.target();
      const longTarget = await http1(httpPort, `${options.restPath}?q=${"z".repeat(20_000)}`, {
        method: "GET",
      }).catch(() => ({ status: 431 }));
      expect([414, 431]).toContain(longTarget.status);
      const body = await http1(httpPort, options.restPath, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "x".repeat(1_000_000),
      }).catch(() => ({ status: 413 }));
      expect([405, 413]).toContain(body.status);
    });

    it("echoes an allowed CORS origin, refuses others and answers preflights", async () => {
      const { httpPort } = options.target();
      const simple = (route: string, origin: string) =>
        http1(
          httpPort,
          route,
          route === path
            ? {
                method: "POST",
                headers: { Origin: origin, "Content-Type": "application/json" },
                body: "{}",
              }
            : { method: "GET", headers: { Origin: origin } },
        );
      for (const route of [options.restPath, path]) {
        const allowed = await simple(route, ALLOWED_TEST_ORIGIN);
        expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED_TEST_ORIGIN);
        expect(allowed.headers.get("vary")).toMatch(/Origin/);
        expect(allowed.headers.get("access-control-expose-headers")).toMatch(/Grpc-Status/);
        const other = await simple(route, "https://evil.example");
        expect(other.headers.get("access-control-allow-origin")).toBeNull();
        const preflight = await http1(httpPort, route, {
          method: "OPTIONS",
          headers: {
            Origin: ALLOWED_TEST_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,connect-protocol-version",
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("access-control-allow-origin")).toBe(ALLOWED_TEST_ORIGIN);
        expect(preflight.headers.get("access-control-allow-methods")).toMatch(/POST/);
        expect(preflight.headers.get("access-control-allow-headers")).toMatch(
          /Connect-Protocol-Version/,
        );
        const refused = await http1(httpPort, route, {
          method: "OPTIONS",
          headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
        });
        expect(refused.headers.get("access-control-allow-origin")).toBeNull();
        expect(refused.headers.get("access-control-allow-methods")).toBeNull();
      }
    });

    it("still serves afterwards", async () => {
      const { httpPort } = options.target();
      expect((await http1(httpPort, "/api/v1/health", { method: "GET" })).status).toBe(200);
      expect((await http1(httpPort, options.restPath, { method: "GET" })).status).toBe(200);
    });
  });
}
