import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { connect, createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import type { MetricsExposition } from "@tse/metrics-port";
import { afterEach, describe, expect, it } from "vitest";
import { sampleValue } from "./exposition.test-helper.js";
import { metricsHttpHandler } from "./metrics-http-handler.js";
import { createPrometheusMetrics } from "./prometheus-metrics.js";

const constantLabels = { service: "svc", instance: "svc-1", version: "0.1.0" };
const servers: (Server | Http2Server)[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
  }
});

async function serveHttp1(handler: ReturnType<typeof metricsHttpHandler>): Promise<string> {
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe("metricsHttpHandler over HTTP/1.1", () => {
  it("answers GET with the text exposition", async () => {
    const metrics = createPrometheusMetrics({ constantLabels, defaultMetrics: false });
    metrics.incCounter("orders_total", { side: "buy" }, 2);
    const url = await serveHttp1(metricsHttpHandler(metrics));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("vary")).toBe("Accept");
    const body = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(sampleValue(body, "orders_total", { side: "buy", instance: "svc-1" })).toBe(2);
  });

  it("answers in OpenMetrics when the Accept header asks for it", async () => {
    const metrics = createPrometheusMetrics({ constantLabels, defaultMetrics: false });
    metrics.incCounter("orders_total");
    const url = await serveHttp1(metricsHttpHandler(metrics));
    const response = await fetch(url, {
      headers: { accept: "application/openmetrics-text; version=1.0.0" },
    });
    expect(response.headers.get("content-type")).toBe(
      "application/openmetrics-text; version=1.0.0; charset=utf-8",
    );
    const body = await response.text();
    expect(body).toContain("# TYPE orders counter");
    expect(body.endsWith("# EOF\n")).toBe(true);
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const metrics = createPrometheusMetrics({ constantLabels, defaultMetrics: false });
    metrics.incCounter("orders_total");
    const url = await serveHttp1(metricsHttpHandler(metrics));
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toContain("text/plain");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await head.text()).toBe("");
    const post = await fetch(url, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers 500 when the exposition fails, and does not reject", async () => {
    const failing = {
      exposition: (): Promise<MetricsExposition> => Promise.reject(new Error("collector broke")),
    };
    const url = await serveHttp1(metricsHttpHandler(failing));
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("metrics exposition failed\n");
  });
});

describe("metricsHttpHandler over HTTP/2", () => {
  it("serves the exposition on an http2 compatibility server", async () => {
    const metrics = createPrometheusMetrics({ constantLabels, defaultMetrics: false });
    metrics.setGauge("queue_depth", 7);
    const handler = metricsHttpHandler(metrics);
    const server = createHttp2Server((req, res) => void handler(req, res));
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const stream = client.request({ ":path": "/metrics", accept: "text/plain" });
      const [headers] = (await once(stream, "response")) as [Record<string, string | number>];
      let body = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        body += chunk;
      });
      await once(stream, "end");
      expect(headers[":status"]).toBe(200);
      expect(headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(sampleValue(body, "queue_depth")).toBe(7);
    } finally {
      client.close();
    }
  });
});
