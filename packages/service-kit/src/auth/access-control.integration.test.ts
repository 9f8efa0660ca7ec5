import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, type ConnectRouter, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { ServerReflection } from "@tse/proto/grpc/reflection/v1/reflection_pb";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import type { RestRoute } from "../http/rest-router.js";
import {
  type RunningService,
  type ServiceComposition,
  startService,
} from "../server/run-service.js";
import { serviceAccess } from "./rpc-access.js";

const TOKENS = ["kit-token-one-0123456789abcdef", "kit-token-two-fedcba9876543210"] as const;
const WRONG = "kit-token-bad-0000000000000000";

/** How often each fake handler ran: a refused call must never reach one. */
const calls = { setRiskLimits: 0, getRiskStatus: 0, restWrite: 0 };

const routes = (router: ConnectRouter) =>
  router.service(RiskService, {
    setRiskLimits: () => {
      calls.setRiskLimits++;
      return {};
    },
    getRiskStatus: () => {
      calls.getRiskStatus++;
      return {};
    },
    forcePositionClose: () => ({}),
    enableCircuitBreaker: () => ({}),
    disableCircuitBreaker: () => ({}),
  });

const riskAccess = serviceAccess(RiskService, {
  setRiskLimits: "write",
  getRiskStatus: "read",
  forcePositionClose: "write",
  enableCircuitBreaker: "write",
  disableCircuitBreaker: "write",
});

const rest: RestRoute[] = [
  {
    method: "POST",
    path: "/api/v1/things",
    handler: () => {
      calls.restWrite++;
      return { written: true };
    },
  },
  { method: "GET", path: "/api/v1/things", handler: () => ({ things: [] }) },
];

/** A kit service with a fake RiskService and REST routes; its log lines are kept. */
async function start(
  env: Record<string, string>,
  composition: ServiceComposition = { routes, rpcAccess: [riskAccess], rest },
): Promise<{ service: RunningService; base: string; grpc: string; log: string[] }> {
  const log: string[] = [];
  const started = await startService(
    {
      serviceName: "kit-auth-test",
      version: "0.0.1",
      summary: "test",
      ports: { http: 0, grpc: 0 },
      settings: {},
      compose: () => ({ readiness: { postgres: "disabled" }, ...composition }),
    },
    {
      argv: [],
      env: { HOST: "127.0.0.1", LOG_LEVEL: "trace", ...env },
      envFile: "/dev/null",
      logDestination: { write: (line: string) => void log.push(line) },
    },
  );
  if (started === "help") throw new Error("unexpected help");
  return {
    service: started,
    base: `http://127.0.0.1:${started.ports.http}`,
    grpc: `http://127.0.0.1:${started.ports.grpc}`,
    log,
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("a kit service with AUTH_TOKENS", () => {
  let running: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    running = await start({ AUTH_TOKENS: TOKENS.join(",") });
  });
  afterAll(async () => {
    await running?.service.stop();
  });

  it("answers a REST write without a token with 401 and WWW-Authenticate, not running it", async () => {
    const before = calls.restWrite;
    const missing = await fetch(`${running.base}/api/v1/things`, { method: "POST" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="kit-auth-test"');
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      "unauthenticated",
    );
    const wrong = await fetch(`${running.base}/api/v1/things`, {
      method: "POST",
      headers: bearer(WRONG),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe(
      'Bearer realm="kit-auth-test", error="invalid_token"',
    );
    expect(calls.restWrite).toBe(before);
  });

  it("runs a REST write with either token, and serves reads without one", async () => {
    const before = calls.restWrite;
    for (const token of TOKENS) {
      const answer = await fetch(`${running.base}/api/v1/things`, {
        method: "POST",
        headers: bearer(token),
      });
      expect(answer.status).toBe(200);
    }
    expect(calls.restWrite).toBe(before + 2);
    expect((await fetch(`${running.base}/api/v1/things`)).status).toBe(200);
  });

  it("never runs an RPC write handler without a valid token, and runs it with one", async () => {
    const client = createClient(
      RiskService,
      createConnectTransport({ baseUrl: running.base, httpVersion: "1.1" }),
    );
    const before = calls.setRiskLimits;
    for (const headers of [{}, bearer(WRONG)]) {
      const refused = await client.setRiskLimits({}, { headers }).catch((e: unknown) => e);
      expect(ConnectError.from(refused).code).toBe(Code.Unauthenticated);
    }
    expect(calls.setRiskLimits).toBe(before);
    await client.setRiskLimits({}, { headers: bearer(TOKENS[1]) });
    expect(calls.setRiskLimits).toBe(before + 1);
    await client.getRiskStatus({});
  });

  it("never logs a token, even at trace level and with the request's headers", async () => {
    running.service.logger.info(
      { headers: { authorization: `Bearer ${TOKENS[0]}`, host: "h" } },
      `got Bearer ${TOKENS[1]}`,
    );
    const text = running.log.join("");
    expect(text).toContain('"authorization":"***"');
    for (const token of [...TOKENS, WRONG]) expect(text).not.toContain(token);
    const startLine = running.log.find((line) => line.includes("listening on http")) ?? "{}";
    expect(JSON.parse(startLine).access).toEqual({ tokenCount: 2, protectReads: false });
  });
});

describe("a kit service with AUTH_TOKENS_FILE and AUTH_PROTECT_READS", () => {
  let running: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    const file = join(tmpdir(), `kit-auth-${process.pid}.tokens`);
    writeFileSync(file, `# rotated 2026-01\n${TOKENS[0]}\n\n${TOKENS[1]}\n`);
    running = await start({ AUTH_TOKENS_FILE: file, AUTH_PROTECT_READS: "true" });
  });
  afterAll(async () => {
    await running?.service.stop();
  });

  it("refuses reads without a token over REST and RPC, reflection included", async () => {
    const rest = await fetch(`${running.base}/api/v1/things`);
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    const transport = createGrpcTransport({ baseUrl: running.grpc });
    const before = calls.getRiskStatus;
    const read = await createClient(RiskService, transport)
      .getRiskStatus({})
      .catch((e: unknown) => e);
    expect(ConnectError.from(read).code).toBe(Code.Unauthenticated);
    expect(calls.getRiskStatus).toBe(before);
    async function* ask() {
      yield { messageRequest: { case: "listServices" as const, value: "" } };
    }
    const reflection = async () => {
      for await (const _ of createClient(ServerReflection, transport).serverReflectionInfo(ask()));
    };
    expect(ConnectError.from(await reflection().catch((e: unknown) => e)).code).toBe(
      Code.Unauthenticated,
    );
  });

  it("serves reads with a token from the file", async () => {
    expect(
      (await fetch(`${running.base}/api/v1/things`, { headers: bearer(TOKENS[1]) })).status,
    ).toBe(200);
  });

  it("keeps health, readiness, /metrics and gRPC health open for probes and scrapers", async () => {
    for (const path of ["/api/v1/health", "/api/v1/ready", "/metrics", "/api/v1/metrics"]) {
      expect((await fetch(`${running.base}${path}`)).status, path).toBe(200);
    }
    const health = createClient(Health, createGrpcTransport({ baseUrl: running.grpc }));
    await health.check({ service: "" });
  });
});

describe("start-up", () => {
  it("refuses an RPC that is neither read nor write, naming it", async () => {
    const refused = await start({}, { routes, rpcAccess: [] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).toContain("/trading.v1.RiskService/SetRiskLimits");
  });

  it.each([
    [{ AUTH_TOKENS: "short" }, "AUTH_TOKENS"],
    [{ AUTH_TOKENS: `${TOKENS[0]},has space in it 0123456789` }, "AUTH_TOKENS"],
    [{ AUTH_TOKENS_FILE: "/nonexistent/tokens" }, "AUTH_TOKENS_FILE"],
    [{ AUTH_TOKENS_FILE: "/dev/null" }, "AUTH_TOKENS_FILE"],
    [{ AUTH_PROTECT_READS: "true" }, "AUTH_PROTECT_READS"],
  ])("refuses %j with a ConfigError naming %s, without echoing a token", async (env, variable) => {
    const refused = await start(env).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).variable).toBe(variable);
    expect((refused as Error).message).not.toContain("short");
    expect((refused as Error).message).not.toContain("has space");
  });

  it("warns when it listens beyond loopback without tokens, and only then", async () => {
    const warning = (log: string[]) =>
      log.find((line) => line.includes('"level":"warn"') && line.includes("AUTH_TOKENS"));
    for (const [env, warns] of [
      [{ HOST: "0.0.0.0" }, true],
      [{ HOST: "127.0.0.1" }, false],
      [{ HOST: "0.0.0.0", AUTH_TOKENS: TOKENS[0] }, false],
    ] as const) {
      const running = await start(env);
      await running.service.stop();
      expect(warning(running.log) !== undefined, JSON.stringify(env)).toBe(warns);
    }
  });
});
