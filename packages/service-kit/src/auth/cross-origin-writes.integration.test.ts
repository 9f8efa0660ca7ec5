import type { ConnectRouter } from "@connectrpc/connect";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "../server/run-service.js";
import { serviceAccess } from "./rpc-access.js";

const TOKEN = "kit-cors-token-0123456789abcdef";
const FOREIGN = "https://evil.example";
const WRITE = "/trading.v1.RiskService/DisableCircuitBreaker";
const READ = "/trading.v1.RiskService/GetRiskStatus";

/** How often the breaker was released: a refused write never reaches the handler. */
let released = 0;

const routes = (router: ConnectRouter) =>
  router.service(RiskService, {
    setRiskLimits: () => ({}),
    getRiskStatus: () => ({}),
    forcePositionClose: () => ({}),
    enableCircuitBreaker: () => ({}),
    disableCircuitBreaker: () => {
      released++;
      return {};
    },
  });

const running: RunningService[] = [];

async function start(env: Record<string, string>): Promise<string> {
  const started = await startService(
    {
      serviceName: "kit-cors-test",
      version: "0.0.1",
      summary: "test",
      ports: { http: 0, grpc: 0 },
      settings: {},
      compose: () => ({
        routes,
        rpcAccess: [
          serviceAccess(RiskService, {
            setRiskLimits: "write",
            getRiskStatus: "read",
            forcePositionClose: "write",
            enableCircuitBreaker: "write",
            disableCircuitBreaker: "write",
          }),
        ],
      }),
    },
    { argv: [], env: { HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env }, envFile: "/dev/null" },
  );
  if (started === "help") throw new Error("unexpected help");
  running.push(started);
  return `http://127.0.0.1:${started.ports.http}`;
}

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
});

/** A browser's preflight for a Connect JSON call from `origin`. */
const preflight = (base: string, path: string, origin: string) =>
  fetch(`${base}${path}`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type,connect-protocol-version,authorization",
    },
  });

/** The Connect JSON call itself, as a page at `origin` (or a tool claiming to be one) sends it. */
const call = (base: string, path: string, origin: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      Origin: origin,
      "Content-Type": "application/json",
      "Connect-Protocol-Version": "1",
      ...headers,
    },
    body: "{}",
  });

describe("cross-origin writes", () => {
  it("by default, grants a foreign page nothing and refuses its write even without a preflight", async () => {
    const base = await start({});
    for (const path of [WRITE, READ]) {
      const answer = await preflight(base, path, FOREIGN);
      expect(answer.headers.get("access-control-allow-origin"), path).toBeNull();
      expect(answer.headers.get("access-control-allow-methods"), path).toBeNull();
    }
    const before = released;
    const write = await call(base, WRITE, FOREIGN);
    expect(write.status).toBe(403);
    expect(((await write.json()) as { code: string }).code).toBe("permission_denied");
    expect(write.headers.get("access-control-allow-origin")).toBeNull();
    expect(released).toBe(before);
  });

  it("lets the service's own pages write (same origin) and tools without an Origin", async () => {
    const base = await start({});
    const before = released;
    expect((await call(base, WRITE, base)).status).toBe(200);
    const tool = await fetch(`${base}${WRITE}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
      body: "{}",
    });
    expect(tool.status).toBe(200);
    expect(released).toBe(before + 2);
  });

  it("lets a listed origin read and write", async () => {
    const base = await start({ CORS_ALLOWED_ORIGINS: "https://desk.example" });
    const answer = await preflight(base, WRITE, "https://desk.example");
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://desk.example");
    expect(answer.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    const write = await call(base, WRITE, "https://desk.example");
    expect(write.status).toBe(200);
    expect(write.headers.get("access-control-allow-origin")).toBe("https://desk.example");
    expect((await call(base, WRITE, FOREIGN)).status).toBe(403);
  });

  it("with '*' and no tokens, lets any origin read but none write", async () => {
    const base = await start({ CORS_ALLOWED_ORIGINS: "*" });
    const read = await preflight(base, READ, FOREIGN);
    expect(read.headers.get("access-control-allow-origin")).toBe("*");
    const write = await preflight(base, WRITE, FOREIGN);
    expect(write.headers.get("access-control-allow-origin")).toBeNull();
    const before = released;
    expect((await call(base, WRITE, FOREIGN)).status).toBe(403);
    expect(released).toBe(before);
  });

  it("with '*' and tokens, lets any origin write with a token and none without", async () => {
    const base = await start({ CORS_ALLOWED_ORIGINS: "*", AUTH_TOKENS: TOKEN });
    const answer = await preflight(base, WRITE, FOREIGN);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    const before = released;
    expect((await call(base, WRITE, FOREIGN)).status).toBe(401);
    expect(released).toBe(before);
    const write = await call(base, WRITE, FOREIGN, { Authorization: `Bearer ${TOKEN}` });
    expect(write.status).toBe(200);
    expect(released).toBe(before + 1);
  });
});
