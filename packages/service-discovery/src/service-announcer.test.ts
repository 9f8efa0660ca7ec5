import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { announcementOf } from "./announcement-of.js";
import { findInstance } from "./find-instance.js";
import { MemoryServiceRegistry } from "./memory-service-registry.js";
import { type Announcement, ServiceAnnouncer } from "./service-announcer.js";
import type { ServiceRegistration } from "./service-registration.js";
import type { ServiceRegistry } from "./service-registry.js";

const announcement = (instance: string): Announcement => ({
  service: "market-data-simulator",
  instance,
  version: "1.0.0",
  host: "127.0.0.1",
  httpPort: 8080,
  grpcPort: 50051,
  status: "healthy",
  environment: "test",
});

describe("ServiceAnnouncer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("registers with a TTL of three heartbeat intervals and keeps the entry alive", async () => {
    const registry = new MemoryServiceRegistry({ now: () => Date.now() });
    const announcer = new ServiceAnnouncer({ registry, heartbeatIntervalMs: 1_000 });
    expect(announcer.ttlMs).toBe(3_000);
    const stored = await announcer.announce(announcement("market-data-simulator-a"));
    expect(stored.registeredAt).toEqual(stored.lastHeartbeat);
    await vi.advanceTimersByTimeAsync(10_000);
    const [entry] = await registry.discover("market-data-simulator");
    expect(entry?.instance).toBe("market-data-simulator-a");
    expect(entry?.registeredAt).toEqual(stored.registeredAt);
    expect(entry?.lastHeartbeat.getTime()).toBeGreaterThan(stored.lastHeartbeat.getTime());
  });

  it("reports failed heartbeats instead of throwing, and withdraws the entry", async () => {
    const registry = new MemoryServiceRegistry({ now: () => Date.now() });
    const heartbeat = vi.spyOn(registry, "heartbeat");
    const outcomes = { succeeded: vi.fn(), failed: vi.fn() };
    const announcer = new ServiceAnnouncer({
      registry,
      heartbeatIntervalMs: 1_000,
      heartbeats: outcomes,
    });
    await announcer.announce(announcement("market-data-simulator-a"));
    heartbeat.mockRejectedValueOnce(new Error("registry away"));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(outcomes.failed).toHaveBeenCalledWith(new Error("registry away"));
    expect(outcomes.succeeded).toHaveBeenCalledTimes(1);

    expect(await announcer.withdraw()).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await registry.discover("market-data-simulator")).toEqual([]);
    expect(heartbeat).toHaveBeenCalledTimes(2);
  });

  it("withdraws nothing before it announced", async () => {
    const registry: ServiceRegistry = new MemoryServiceRegistry();
    const deregister = vi.spyOn(registry, "deregister");
    expect(await new ServiceAnnouncer({ registry, heartbeatIntervalMs: 1_000 }).withdraw()).toBe(
      false,
    );
    expect(deregister).not.toHaveBeenCalled();
  });
});

describe("findInstance", () => {
  it("finds the named instance, or the first one when none is named", async () => {
    const registry = new MemoryServiceRegistry();
    const at = new Date();
    for (const instance of ["market-data-simulator-b", "market-data-simulator-a"]) {
      const registration: ServiceRegistration = {
        ...announcement(instance),
        registeredAt: at,
        lastHeartbeat: at,
      };
      await registry.register(registration, 60_000);
    }
    const first = await findInstance(registry, "market-data-simulator");
    expect(first?.instance).toBe("market-data-simulator-a");
    expect((await findInstance(registry, "market-data-simulator", ""))?.instance).toBe(
      "market-data-simulator-a",
    );
    expect(
      (await findInstance(registry, "market-data-simulator", "market-data-simulator-b"))?.instance,
    ).toBe("market-data-simulator-b");
    expect(await findInstance(registry, "market-data-simulator", "missing")).toBeUndefined();
  });
});

describe("announcementOf", () => {
  it("announces the identity's instance on the ports, healthy, at a reachable host", () => {
    const identity = {
      serviceName: "trading-system-engine",
      version: "0.1.0",
      environment: "development",
      constantLabels: {
        service: "trading-system-engine",
        instance: "trading-engine-lh",
        version: "0.1.0",
      },
    };
    expect(announcementOf(identity, "127.0.0.1", { http: 8080, grpc: 50051 })).toEqual({
      service: "trading-system-engine",
      instance: "trading-engine-lh",
      version: "0.1.0",
      host: "127.0.0.1",
      httpPort: 8080,
      grpcPort: 50051,
      status: "healthy",
      environment: "development",
    });
    expect(announcementOf(identity, "0.0.0.0", { http: 1, grpc: 2 }).host).toBe(hostname());
    expect(announcementOf(identity, "::", { http: 1, grpc: 2 }).host).toBe(hostname());
  });
});
