import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import type { MetricsPort } from "@tse/metrics-port";
import { findPromtool, promtoolCheckMetrics } from "@tse/metrics-port/testing";
import { createHttpMetrics, createRpcMetricsInterceptor } from "@tse/prometheus-adapter";
import { Health, HealthCheckResponse_ServingStatus } from "@tse/proto/grpc/health/v1/health_pb";
import { describe, expect, it } from "vitest";
import { createOpenTelemetryMetrics } from "./opentelemetry-metrics.js";

const promtool = findPromtool();
const inCi = process.env.CI === "true";
if (promtool === undefined && !inCi) {
  console.warn(
    "\n*** WARNING: promtool not found (PROMTOOL, PATH or .tools/bin): the `promtool check metrics` " +
      "tests of the OpenTelemetry exposition are SKIPPED. They fail in CI. ***\n",
  );
}

/** Records what a busy service records: HTTP RED, RPC (unary, stream, errors), domain metrics. */
async function recordRealisticTraffic(metrics: MetricsPort): Promise<void> {
  let time = 0;
  const now = () => (time += 13);
  const http = createHttpMetrics(metrics, { now });
  for (const [method, route, status] of [
    ["GET", "/api/v1/market/price/:asset", 200],
    ["GET", "/api/v1/market/price/:asset", 404],
    ["POST", "/api/v1/orders", 201],
    ["GET", undefined, 404],
    ["GET", "/api/v1/health", 503],
  ] as const) {
    http.begin(method).end(route, status);
  }
  http.begin("GET"); // still in flight

  const transport = createRouterTransport(
    (router) =>
      router.service(Health, {
        async check(req) {
          if (req.service === "missing") throw new ConnectError("unknown service", Code.NotFound);
          return { status: HealthCheckResponse_ServingStatus.SERVING };
        },
        async *watch() {
          for (let i = 0; i < 3; i++) yield { status: HealthCheckResponse_ServingStatus.SERVING };
        },
      }),
    { router: { interceptors: [createRpcMetricsInterceptor(metrics, { now })] } },
  );
  const client = createClient(Health, transport);
  await client.check({ service: "" });
  await client.check({ service: "missing" }).catch(() => undefined);
  for await (const _ of client.watch({ service: "" })) {
    // drain
  }

  metrics.describe("market_data_price_updates_total", "counter", {
    help: 'Price updates generated.\nBy "symbol" and source.',
  });
  metrics.incCounter(
    "market_data_price_updates_total",
    { symbol: "BTC-USD", source: "simulation" },
    42,
  );
  metrics.setGauge("market_data_subscription_active", 2, { symbol: "ETH-USD" });
  metrics.incCounter("market_data_subscriber_updates_dropped_total", undefined, 0);
  metrics.observeHistogram("trading_risk_check_duration_seconds", 0.0004, {
    limit: "max_position",
  });
  metrics.setGauge("trading_unrealized_pnl", -12.5, { strategy: "market_making" });
}

describe.skipIf(promtool === undefined && !inCi)("promtool check metrics", () => {
  it("finds promtool (required when CI=true)", () => {
    expect(promtool, "promtool is required in CI: PROMTOOL, PATH or .tools/bin").toBeDefined();
  });

  it.runIf(promtool !== undefined)(
    "accepts the OpenTelemetry adapter's exposition with runtime, HTTP and RPC metrics",
    async () => {
      const metrics = createOpenTelemetryMetrics({
        constantLabels: { service: "trading-engine", instance: "te-001", version: "1.2.3" },
      });
      try {
        await recordRealisticTraffic(metrics);
        expect(metrics.errors()).toEqual([]);
        const { body } = await metrics.exposition();
        expect(body).toContain("http_request_duration_seconds_bucket{");
        expect(body).toContain("grpc_server_stream_messages_sent_total{");
        expect(body).toContain("process_cpu_user_seconds_total{");
        const result = promtoolCheckMetrics(promtool as string, body);
        expect(result.output).toBe("");
        expect(result.status).toBe(0);
      } finally {
        await metrics.shutdown();
      }
    },
  );

  it.runIf(promtool !== undefined)("is a real check: it rejects a _total gauge", () => {
    const body = "# HELP x_total X.\n# TYPE x_total gauge\nx_total 1\n";
    const result = promtoolCheckMetrics(promtool as string, body);
    expect(result.output).toContain("_total");
    expect(result.status).not.toBe(0);
  });
});
