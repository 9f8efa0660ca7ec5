import {
  Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  createRouterTransport,
  type Interceptor,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { InMemoryMetrics } from "@tse/metrics-port";
import { Health, HealthCheckResponse_ServingStatus } from "@tse/proto/grpc/health/v1/health_pb";
import { describe, expect, it, vi } from "vitest";
import { sampleValue } from "./exposition.test-helper.js";
import { createPrometheusMetrics } from "./prometheus-metrics.js";
import {
  createRpcMetricsInterceptor,
  type RpcMetricsInterceptorOptions,
} from "./rpc-metrics-interceptor.js";
import { RPC_STATUS_NAMES, rpcStatusName } from "./rpc-status.js";

const CHECK = "/grpc.health.v1.Health/Check";
const WATCH = "/grpc.health.v1.Health/Watch";
const SERVING = HealthCheckResponse_ServingStatus.SERVING;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A Health service whose behaviour is chosen by the request's `service` field:
 * Check: "missing" → NOT_FOUND, "boom" → a plain Error, "gate" → waits for {@link openGates},
 * else SERVING.
 * Watch: "count:N" → N messages then the end; "fail:N" → N messages then UNAVAILABLE;
 * "boom:N" → N messages then a plain Error; "forever" → a message every 2 ms until aborted.
 */
const gates: (() => void)[] = [];

function openGates(): void {
  for (const open of gates.splice(0)) open();
}

function healthRoutes(router: ConnectRouter): void {
  router.service(Health, {
    async check(req) {
      if (req.service === "missing") throw new ConnectError("unknown service", Code.NotFound);
      if (req.service === "boom") throw new Error("boom");
      if (req.service === "gate") await new Promise<void>((resolve) => gates.push(resolve));
      return { status: SERVING };
    },
    async *watch(req, context) {
      const [mode = "", count = "0"] = req.service.split(":");
      if (mode === "forever") {
        while (!context.signal.aborted) {
          yield { status: SERVING };
          await sleep(2);
        }
        return;
      }
      for (let i = 0; i < Number(count); i++) yield { status: SERVING };
      if (mode === "fail") throw new ConnectError("going away", Code.Unavailable);
      if (mode === "boom") throw new Error("boom");
    },
  });
}

function setUp(options: RpcMetricsInterceptorOptions = {}) {
  const metrics = new InMemoryMetrics();
  const interceptor = createRpcMetricsInterceptor(metrics, options);
  const transport = createRouterTransport(healthRoutes, {
    router: { interceptors: [interceptor] },
  });
  return { metrics, interceptor, client: createClient(Health, transport) };
}

describe("rpc status names", () => {
  it("maps every Connect code to its upper-snake name", () => {
    expect(rpcStatusName(Code.InvalidArgument)).toBe("INVALID_ARGUMENT");
    expect(rpcStatusName(Code.Canceled)).toBe("CANCELED");
    expect(rpcStatusName(99 as Code)).toBe("UNKNOWN");
    expect(Object.values(RPC_STATUS_NAMES)).toEqual([
      "OK",
      "CANCELED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
    ]);
  });
});

describe("createRpcMetricsInterceptor — unary", () => {
  it("records OK, duration and in-flight for a successful call", async () => {
    let time = 0;
    const { metrics, client } = setUp({ now: () => (time += 25) });
    const response = await client.check({ service: "" });
    expect(response.status).toBe(SERVING);
    expect(metrics.counter("grpc_server_requests_total", { method: CHECK, status: "OK" })).toBe(1);
    expect(metrics.histogram("grpc_server_request_duration_seconds", { method: CHECK })).toEqual([
      0.025,
    ]);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: CHECK })).toBe(0);
    expect(
      metrics.calls.filter((c) => c.name === "grpc_server_requests_in_flight").map((c) => c.value),
    ).toEqual([1, -1]);
    expect(metrics.counter("grpc_server_stream_messages_sent_total")).toBe(0);
    expect(metrics.errors()).toEqual([]);
  });

  it("records the code of a ConnectError and INTERNAL for any other error", async () => {
    const { metrics, client } = setUp();
    await expect(client.check({ service: "missing" })).rejects.toMatchObject({
      code: Code.NotFound,
    });
    await expect(client.check({ service: "boom" })).rejects.toMatchObject({ code: Code.Internal });
    await client.check({ service: "" });
    expect(
      metrics.counter("grpc_server_requests_total", { method: CHECK, status: "NOT_FOUND" }),
    ).toBe(1);
    expect(
      metrics.counter("grpc_server_requests_total", { method: CHECK, status: "INTERNAL" }),
    ).toBe(1);
    expect(metrics.counter("grpc_server_requests_total", { method: CHECK, status: "OK" })).toBe(1);
    expect(
      metrics.histogram("grpc_server_request_duration_seconds", { method: CHECK }),
    ).toHaveLength(3);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: CHECK })).toBe(0);
  });

  it("keeps the call in flight while the handler runs", async () => {
    const { metrics, client } = setUp();
    const pending = client.check({ service: "gate" });
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: CHECK })).toBe(1);
    expect(metrics.counter("grpc_server_requests_total")).toBe(0);
    openGates();
    await pending;
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: CHECK })).toBe(0);
  });
});

describe("createRpcMetricsInterceptor — server streaming", () => {
  it("counts each message and records OK when the stream ends", async () => {
    const { metrics, client } = setUp();
    const received = [];
    for await (const message of client.watch({ service: "count:3" })) received.push(message);
    expect(received).toHaveLength(3);
    expect(metrics.counter("grpc_server_stream_messages_sent_total", { method: WATCH })).toBe(3);
    expect(metrics.counter("grpc_server_requests_total", { method: WATCH, status: "OK" })).toBe(1);
    expect(
      metrics.histogram("grpc_server_request_duration_seconds", { method: WATCH }),
    ).toHaveLength(1);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: WATCH })).toBe(0);
  });

  it("records the code of an error that ends the stream", async () => {
    const { metrics, client } = setUp();
    const drain = async (service: string) => {
      for await (const _ of client.watch({ service })) {
        // drain
      }
    };
    await expect(drain("fail:2")).rejects.toMatchObject({ code: Code.Unavailable });
    await expect(drain("boom:1")).rejects.toMatchObject({ code: Code.Internal });
    expect(
      metrics.counter("grpc_server_requests_total", { method: WATCH, status: "UNAVAILABLE" }),
    ).toBe(1);
    expect(
      metrics.counter("grpc_server_requests_total", { method: WATCH, status: "INTERNAL" }),
    ).toBe(1);
    expect(metrics.counter("grpc_server_stream_messages_sent_total", { method: WATCH })).toBe(3);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: WATCH })).toBe(0);
  });

  it("records CANCELED when the client cancels the stream", async () => {
    const { metrics, client } = setUp();
    const abort = new AbortController();
    let received = 0;
    const consume = async () => {
      for await (const _ of client.watch({ service: "forever" }, { signal: abort.signal })) {
        received++;
        if (received === 2) abort.abort();
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: Code.Canceled });
    await vi.waitFor(() =>
      expect(
        metrics.counter("grpc_server_requests_total", { method: WATCH, status: "CANCELED" }),
      ).toBe(1),
    );
    expect(metrics.counter("grpc_server_requests_total", { method: WATCH })).toBe(1);
    expect(
      metrics.counter("grpc_server_stream_messages_sent_total", { method: WATCH }),
    ).toBeGreaterThanOrEqual(2);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: WATCH })).toBe(0);
  });

  it("records DEADLINE_EXCEEDED when the deadline ends the stream", async () => {
    const { metrics, client } = setUp();
    const consume = async () => {
      for await (const _ of client.watch({ service: "forever" }, { timeoutMs: 30 })) {
        // keep reading until the deadline
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: Code.DeadlineExceeded });
    await vi.waitFor(() =>
      expect(metrics.counter("grpc_server_requests_total", { method: WATCH })).toBe(1),
    );
    expect(
      metrics.counter("grpc_server_requests_total", { method: WATCH, status: "DEADLINE_EXCEEDED" }),
    ).toBe(1);
    expect(metrics.gauge("grpc_server_requests_in_flight", { method: WATCH })).toBe(0);
  });
});

describe("createRpcMetricsInterceptor — method label", () => {
  it("uses the procedure path when it is in knownProcedures", async () => {
    const { metrics, client } = setUp({ knownProcedures: new Set([CHECK, WATCH]) });
    await client.check({ service: "" });
    expect(metrics.counter("grpc_server_requests_total", { method: CHECK })).toBe(1);
  });

  it("records unknown for a procedure missing from knownProcedures", async () => {
    const { metrics, client } = setUp({ knownProcedures: new Set(["/other.v1.Service/Method"]) });
    await client.check({ service: "" });
    for await (const _ of client.watch({ service: "count:2" })) {
      // drain
    }
    expect(metrics.counter("grpc_server_requests_total", { method: "unknown", status: "OK" })).toBe(
      2,
    );
    expect(metrics.counter("grpc_server_stream_messages_sent_total", { method: "unknown" })).toBe(
      2,
    );
    expect(metrics.counter("grpc_server_requests_total", { method: CHECK })).toBe(0);
  });

  it("reads a knownProcedures function on every request", async () => {
    let known: ReadonlySet<string> = new Set();
    const { metrics, client } = setUp({ knownProcedures: () => known });
    await client.check({ service: "" });
    known = new Set([CHECK]);
    await client.check({ service: "" });
    expect(metrics.counter("grpc_server_requests_total", { method: "unknown" })).toBe(1);
    expect(metrics.counter("grpc_server_requests_total", { method: CHECK })).toBe(1);
  });

  it("records unknown for a request without method descriptors", async () => {
    const metrics = new InMemoryMetrics();
    const interceptor: Interceptor = createRpcMetricsInterceptor(metrics);
    const response = { stream: false } as unknown as UnaryResponse;
    const request = {
      stream: false,
      url: "https://host/evil.Service/Random12345",
      signal: new AbortController().signal,
    } as unknown as UnaryRequest;
    await expect(interceptor(async () => response)(request)).resolves.toBe(response);
    expect(metrics.counter("grpc_server_requests_total", { method: "unknown", status: "OK" })).toBe(
      1,
    );
    expect(JSON.stringify(metrics.calls)).not.toContain("Random12345");
  });
});

describe("createRpcMetricsInterceptor on the Prometheus adapter", () => {
  it("exposes the RPC metrics with constant labels", async () => {
    const metrics = createPrometheusMetrics({
      constantLabels: { service: "svc", instance: "svc-1", version: "0.1.0" },
      defaultMetrics: false,
    });
    const interceptor = createRpcMetricsInterceptor(metrics);
    const transport = createRouterTransport(healthRoutes, {
      router: { interceptors: [interceptor] },
    });
    const client = createClient(Health, transport);
    await client.check({ service: "" });
    await expect(client.check({ service: "missing" })).rejects.toThrow();
    for await (const _ of client.watch({ service: "count:4" })) {
      // drain
    }
    const { body } = await metrics.exposition();
    expect(sampleValue(body, "grpc_server_requests_total", { method: CHECK, status: "OK" })).toBe(
      1,
    );
    expect(
      sampleValue(body, "grpc_server_requests_total", { method: CHECK, status: "NOT_FOUND" }),
    ).toBe(1);
    expect(
      sampleValue(body, "grpc_server_requests_total", {
        method: WATCH,
        status: "OK",
        service: "svc",
      }),
    ).toBe(1);
    expect(sampleValue(body, "grpc_server_stream_messages_sent_total", { method: WATCH })).toBe(4);
    expect(sampleValue(body, "grpc_server_requests_in_flight", { method: WATCH })).toBe(0);
    expect(sampleValue(body, "grpc_server_request_duration_seconds_count", { method: CHECK })).toBe(
      2,
    );
    expect(
      sampleValue(body, "grpc_server_request_duration_seconds_bucket", {
        method: WATCH,
        le: "+Inf",
      }),
    ).toBe(1);
    expect(body).toContain(
      "# HELP grpc_server_requests_total RPCs served, by procedure and final status code.",
    );
    expect(metrics.errors()).toEqual([]);
  });
});
