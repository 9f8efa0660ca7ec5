import { describe, expect, it } from "vitest";
import { createCors } from "./cors.js";
import type { NodeRequest, NodeResponse } from "./node-http.js";

function exchange(method: string, origin: string | undefined) {
  const headers: Record<string, string> = {};
  const res = {
    statusCode: 200,
    ended: false,
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    end() {
      this.ended = true;
    },
  };
  const req = { method, headers: origin === undefined ? {} : { origin } };
  return {
    req: req as unknown as NodeRequest,
    res: res as unknown as NodeResponse & typeof res,
    headers,
  };
}

describe("createCors", () => {
  it("allows any origin with '*' and answers a preflight with 204", () => {
    const { req, res, headers } = exchange("OPTIONS", "http://ui.local");
    expect(createCors(["*"]).apply(req, res)).toBe(true);
    expect(res.statusCode).toBe(204);
    expect(res.ended).toBe(true);
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(headers["access-control-allow-methods"]).toContain("POST");
    expect(headers["access-control-allow-headers"]).toContain("Connect-Protocol-Version");
  });

  it("echoes a listed origin and varies on Origin", () => {
    const { req, res, headers } = exchange("GET", "https://dash.example");
    expect(createCors(["https://dash.example", "https://other.example"]).apply(req, res)).toBe(
      false,
    );
    expect(headers["access-control-allow-origin"]).toBe("https://dash.example");
    expect(headers.vary).toBe("Origin");
    expect(headers["access-control-expose-headers"]).toContain("Grpc-Message");
  });

  it("grants nothing to an origin that is not listed", () => {
    const cors = createCors(["https://dash.example"]);
    const simple = exchange("GET", "https://evil.example");
    expect(cors.apply(simple.req, simple.res)).toBe(false);
    expect(simple.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = exchange("OPTIONS", "https://evil.example");
    expect(cors.apply(preflight.req, preflight.res)).toBe(true);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-headers"]).toBeUndefined();
  });

  it("leaves same-origin requests without CORS headers", () => {
    const { req, res, headers } = exchange("GET", undefined);
    expect(createCors(["*"]).apply(req, res)).toBe(false);
    expect(headers).toEqual({});
  });

  it("grants '*' for reads only, and for writes only when tokens are required", () => {
    const read = exchange("OPTIONS", "https://any.example");
    createCors(["*"]).apply(read.req, read.res, "read");
    expect(read.headers["access-control-allow-origin"]).toBe("*");
    const write = exchange("OPTIONS", "https://any.example");
    createCors(["*"]).apply(write.req, write.res, "write");
    expect(write.headers["access-control-allow-origin"]).toBeUndefined();
    expect(write.headers["access-control-allow-methods"]).toBeUndefined();
    const tokens = exchange("OPTIONS", "https://any.example");
    createCors(["*"], { anyOriginMayWrite: true }).apply(tokens.req, tokens.res, "write");
    expect(tokens.headers["access-control-allow-origin"]).toBe("*");
  });

  it("grants nothing to a foreign origin by default", () => {
    const { req, res, headers } = exchange("OPTIONS", "https://evil.example");
    expect(createCors([]).apply(req, res, "read")).toBe(true);
    expect(headers["access-control-allow-origin"]).toBeUndefined();
  });

  it.each<[Record<string, string>, boolean, string]>([
    [{}, true, "no Origin: not a browser page"],
    [{ origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080" }, true, "same host"],
    [{ origin: "https://proxy.example", "sec-fetch-site": "same-origin" }, true, "same origin"],
    [{ origin: "https://desk.example" }, true, "listed"],
    [{ origin: "https://evil.example", host: "127.0.0.1:8080" }, false, "foreign"],
    [{ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, false, "cross-site"],
    [{ origin: "null", host: "127.0.0.1:8080" }, false, "opaque"],
    [{ origin: "http://127.0.0.1:8080.evil.example", host: "127.0.0.1:8080" }, false, "lookalike"],
  ])("mayWrite %j is %s (%s)", (headers, expected) => {
    const cors = createCors(["https://desk.example"]);
    const lookup = (name: string) => headers[name];
    expect(cors.mayWrite(lookup)).toBe(expected);
  });
});
