import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { InMemoryMetrics, type MetricsPort } from "@tse/metrics-port";
import { findPromtool } from "@tse/metrics-port/testing";
import { Health, HealthCheckResponse_ServingStatus } from "@tse/proto/grpc/health/v1/health_pb";
import { afterAll, describe, expect, it } from "vitest";
import { createHttpMetrics } from "./http-metrics.js";
import { createPrometheusMetrics } from "./prometheus-metrics.js";
import { createRpcMetricsInterceptor } from "./rpc-metrics-interceptor.js";

const promtool = findPromtool();
const inCi = process.env.CI === "true";
if (promtool === undefined && !inCi) {
  console.warn(
    "\n*** WARNING: promtool not found (set PROMTOOL, put it on PATH or in .tools/bin): the `promtool check metrics` " +
      "tests are SKIPPED. They fail in CI. Debian: `apt-get download prometheus && dpkg -x prometheus_*.deb /tmp/prom`, " +
      "then PROMTOOL=/tmp/prom/usr/bin/promtool. ***\n",
  );
}

const workDir = mkdtempSync(join(tmpdir(), "tse-promtool-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes `body` to a file and runs `promtool check metrics < file`. */
function promtoolCheck(body: string, fileName: string): { status: number | null; output: string } {
  const file = join(workDir, fileName);
  writeFileSync(file, body);
  const input = openSync(file, "r");
  try {
    const result = spawnSync(promtool as string, ["check", "metrics"], {
      stdio: [input, "pipe", "pipe"],
      encoding: "utf8",
      timeout: 20_000,
    });
    if (result.error !== undefined) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    closeSync(input);
  }
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
    ["PROPFIND", undefined, 405],
    ["GET", "/api/v1/health", 503],
  ] as const) {
    http.begin(method).end(route, status);
  }
  http.begin("GET"); // still in flight

  const interceptor = createRpcMetricsInterceptor(metrics, { now });
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
    { router: { interceptors: [interceptor] } },
  );
  const client = createClient(Health, transport);
  await client.check({ service: "" });
  await client.check({ service: "missing" }).catch(() => undefined);
  for await (const _ of client.watch({ service: "" })) {
    // drain
  }

  metrics.describe("market_data_price_updates_total", "counter", {
    help: "Price updates generated.",
  });
  metrics.incCounter(
    "market_data_price_updates_total",
    { symbol: "BTC-USD", source: "simulation" },
    42,
  );
  metrics.incCounter("market_data_candles_generated_total", { symbol: "BTC-USD", interval: "1m" });
  metrics.setGauge("market_data_subscription_active", 2, { symbol: "ETH-USD" });
  metrics.incCounter("market_data_subscriber_updates_dropped_total", undefined, 0);
  metrics.observeHistogram("trading_risk_check_duration_seconds", 0.0004, {
    limit: "max_position",
  });
  metrics.setGauge("trading_circuit_breaker_open", 0);
  metrics.setGauge("trading_unrealized_pnl", -12.5, { strategy: "market_making" });
}

describe.skipIf(promtool === undefined && !inCi)("promtool check metrics", () => {
  it("finds promtool (required when CI=true)", () => {
    expect(promtool, "promtool is required in CI: set PROMTOOL or put it on PATH").toBeDefined();
  });

  it.runIf(promtool !== undefined)(
    "accepts the Prometheus adapter's exposition with runtime, HTTP and RPC metrics",
    async () => {
      const metrics = createPrometheusMetrics({
        constantLabels: { service: "market-data-simulator", instance: "mds-001", version: "1.2.3" },
      });
      await recordRealisticTraffic(metrics);
      expect(metrics.errors()).toEqual([]);
      const { body } = await metrics.exposition();
      expect(body).toContain("http_requests_total{");
      expect(body).toContain("grpc_server_stream_messages_sent_total{");
      expect(body).toContain("process_cpu_user_seconds_total{");
      const result = promtoolCheck(body, "prometheus-adapter.prom");
      expect(result.output).toBe("");
      expect(result.status).toBe(0);
    },
  );

  it.runIf(promtool !== undefined)(
    "accepts the exposition after an OpenMetrics render",
    async () => {
      const metrics = createPrometheusMetrics({
        constantLabels: {
          service: "trading-system-engine",
          instance: "trading-system-engine",
          version: "0.1.0",
        },
      });
      await recordRealisticTraffic(metrics);
      await metrics.exposition("application/openmetrics-text; version=1.0.0");
      const result = promtoolCheck((await metrics.exposition()).body, "after-openmetrics.prom");
      expect(result.output).toBe("");
      expect(result.status).toBe(0);
    },
  );

  it.runIf(promtool !== undefined)("accepts InMemoryMetrics' exposition", async () => {
    const metrics = new InMemoryMetrics({
      constantLabels: { service: "svc", instance: "svc-1", version: "0.1.0" },
    });
    await recordRealisticTraffic(metrics);
    const result = promtoolCheck((await metrics.exposition()).body, "in-memory.prom");
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it.runIf(promtool !== undefined)("is a real check: it rejects a _total gauge", () => {
    const body = "# HELP x_total X.\n# TYPE x_total gauge\nx_total 1\n";
    const result = promtoolCheck(body, "bad.prom");
    expect(result.output).toContain("_total");
    expect(result.status).not.toBe(0);
  });
});
