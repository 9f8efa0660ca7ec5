import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@tse/proto/grpc/health/v1/health_pb";
import { describe, expect, it } from "vitest";
import { createHealthServiceImpl, registerHealthService } from "./health-service.js";
import { HealthStatusRegistry } from "./health-status-registry.js";

const { SERVING, NOT_SERVING, SERVICE_UNKNOWN } = ServingStatus;

function setup(shutdownSignal?: AbortSignal) {
  const registry = new HealthStatusRegistry({ "": SERVING, "pkg.Svc": SERVING });
  const transport = createRouterTransport(
    (router) => router.service(Health, createHealthServiceImpl(registry)),
    shutdownSignal === undefined ? undefined : { router: { shutdownSignal } },
  );
  return { registry, client: createClient(Health, transport) };
}

async function nextStatus(
  stream: AsyncIterator<{ status: ServingStatus }>,
): Promise<ServingStatus> {
  const next = await stream.next();
  if (next.done === true) throw new Error("stream ended");
  return next.value.status;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe("grpc.health.v1.Health over connect", () => {
  it("Check answers the whole server and a named service", async () => {
    const { registry, client } = setup();
    expect((await client.check({ service: "" })).status).toBe(SERVING);
    registry.set("pkg.Svc", NOT_SERVING);
    expect((await client.check({ service: "pkg.Svc" })).status).toBe(NOT_SERVING);
  });

  it("Check of an unknown service fails with NOT_FOUND", async () => {
    const { client } = setup();
    const error = await client.check({ service: "pkg.Nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
    expect((error as ConnectError).rawMessage).toContain("pkg.Nope");
  });

  it("Watch yields the initial status, then changes, and ends when the client aborts", async () => {
    const { registry, client } = setup();
    const controller = new AbortController();
    const stream = client.watch({ service: "pkg.Svc" }, { signal: controller.signal });
    const it = stream[Symbol.asyncIterator]();
    expect(await nextStatus(it)).toBe(SERVING);
    registry.set("pkg.Svc", SERVING); // unchanged: not sent
    registry.set("pkg.Svc", NOT_SERVING);
    expect(await nextStatus(it)).toBe(NOT_SERVING);
    registry.set("pkg.Svc", SERVING);
    expect(await nextStatus(it)).toBe(SERVING);
    expect(registry.watcherCount).toBe(1);
    controller.abort();
    const error = await it.next().catch((e: unknown) => e);
    expect(ConnectError.from(error).code).toBe(Code.Canceled);
    await waitFor(() => registry.watcherCount === 0);
  });

  it("Watch of an unknown service sends SERVICE_UNKNOWN and keeps watching", async () => {
    const { registry, client } = setup();
    const controller = new AbortController();
    const it = client
      .watch({ service: "pkg.Later" }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect(await nextStatus(it)).toBe(SERVICE_UNKNOWN);
    registry.set("pkg.Later", SERVING);
    expect(await nextStatus(it)).toBe(SERVING);
    controller.abort();
    await it.next().catch(() => undefined);
  });

  it("setAll(NOT_SERVING) reaches every watcher", async () => {
    const { registry, client } = setup();
    const controller = new AbortController();
    const whole = client
      .watch({ service: "" }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    const named = client
      .watch({ service: "pkg.Svc" }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect(await nextStatus(whole)).toBe(SERVING);
    expect(await nextStatus(named)).toBe(SERVING);
    registry.setAll(NOT_SERVING);
    expect(await nextStatus(whole)).toBe(NOT_SERVING);
    expect(await nextStatus(named)).toBe(NOT_SERVING);
    controller.abort();
    await Promise.all([whole.next().catch(() => undefined), named.next().catch(() => undefined)]);
  });

  it("Watch ends when the server shuts down, releasing its watcher", async () => {
    const shutdown = new AbortController();
    const { registry, client } = setup(shutdown.signal);
    const it = client.watch({ service: "" })[Symbol.asyncIterator]();
    expect(await nextStatus(it)).toBe(SERVING);
    registry.setAll(NOT_SERVING);
    expect(await nextStatus(it)).toBe(NOT_SERVING);
    shutdown.abort();
    // Whether connect reports the shutdown as end-of-stream or an error is its business;
    // the stream must end and the server-side watcher must go.
    const end = await it.next().catch((e: unknown) => ConnectError.from(e));
    expect(end instanceof ConnectError || end.done === true).toBe(true);
    await waitFor(() => registry.watcherCount === 0);
  });

  it("registerHealthService serves the same implementation", async () => {
    const registry = new HealthStatusRegistry();
    const transport = createRouterTransport((router) => registerHealthService(router, registry));
    const client = createClient(Health, transport);
    expect((await client.check({ service: "" })).status).toBe(SERVING);
  });
});
