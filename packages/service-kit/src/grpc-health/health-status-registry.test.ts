import { HealthCheckResponse_ServingStatus as ServingStatus } from "@tse/proto/grpc/health/v1/health_pb";
import { describe, expect, it } from "vitest";
import { HealthStatusRegistry } from "./health-status-registry.js";

const { SERVING, NOT_SERVING, SERVICE_UNKNOWN, UNKNOWN } = ServingStatus;

describe("HealthStatusRegistry", () => {
  it("starts with the whole server SERVING and nothing else known", () => {
    const registry = new HealthStatusRegistry();
    expect(registry.get("")).toBe(SERVING);
    expect(registry.get("pkg.Svc")).toBeUndefined();
    expect(registry.services()).toEqual([""]);
  });

  it("accepts initial statuses and stores set ones", () => {
    const registry = new HealthStatusRegistry({ "": NOT_SERVING, "pkg.A": UNKNOWN });
    registry.set("pkg.B", SERVING);
    expect(registry.get("")).toBe(NOT_SERVING);
    expect(registry.get("pkg.A")).toBe(UNKNOWN);
    expect(registry.get("pkg.B")).toBe(SERVING);
  });

  it("refuses to store SERVICE_UNKNOWN", () => {
    const registry = new HealthStatusRegistry();
    expect(() => registry.set("pkg.A", SERVICE_UNKNOWN)).toThrow(RangeError);
    expect(() => registry.setAll(SERVICE_UNKNOWN)).toThrow(RangeError);
    expect(registry.get("pkg.A")).toBeUndefined();
  });

  it("setAll changes the whole server and every known service, and no unknown one", () => {
    const registry = new HealthStatusRegistry({ "pkg.A": SERVING, "pkg.B": SERVING });
    registry.setAll(NOT_SERVING);
    expect(registry.get("")).toBe(NOT_SERVING);
    expect(registry.get("pkg.A")).toBe(NOT_SERVING);
    expect(registry.get("pkg.B")).toBe(NOT_SERVING);
    expect(registry.get("pkg.C")).toBeUndefined();
  });

  it("watch yields the current status, then each change without repeats, and ends on abort", async () => {
    const registry = new HealthStatusRegistry();
    const controller = new AbortController();
    const seen: ServingStatus[] = [];
    const done = (async () => {
      for await (const status of registry.watch("", controller.signal)) {
        seen.push(status);
        if (seen.length === 3) controller.abort();
      }
    })();
    await Promise.resolve();
    registry.set("", SERVING); // no change: not reported
    registry.set("", NOT_SERVING);
    registry.set("", SERVING);
    await done;
    expect(seen).toEqual([SERVING, NOT_SERVING, SERVING]);
    expect(registry.watcherCount).toBe(0);
  });

  it("watch of an unknown service yields SERVICE_UNKNOWN until it is set, and again after remove", async () => {
    const registry = new HealthStatusRegistry();
    const controller = new AbortController();
    const watch = registry.watch("pkg.Late", controller.signal);
    expect((await watch.next()).value).toBe(SERVICE_UNKNOWN);
    registry.set("pkg.Late", SERVING);
    expect((await watch.next()).value).toBe(SERVING);
    expect(registry.remove("pkg.Late")).toBe(true);
    expect(registry.remove("pkg.Late")).toBe(false);
    expect((await watch.next()).value).toBe(SERVICE_UNKNOWN);
    controller.abort();
    expect(await watch.next()).toEqual({ done: true, value: undefined });
  });

  it("a waiting watch ends as soon as its signal aborts", async () => {
    const registry = new HealthStatusRegistry();
    const controller = new AbortController();
    const watch = registry.watch("", controller.signal);
    await watch.next();
    const pending = watch.next();
    expect(registry.watcherCount).toBe(1);
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(registry.watcherCount).toBe(0);
  });

  it("an already aborted signal yields nothing", async () => {
    const registry = new HealthStatusRegistry();
    const seen: ServingStatus[] = [];
    for await (const status of registry.watch("", AbortSignal.abort())) seen.push(status);
    expect(seen).toEqual([]);
  });

  it("a watcher that falls far behind still ends on the latest status", async () => {
    const registry = new HealthStatusRegistry();
    const controller = new AbortController();
    const watch = registry.watch("", controller.signal);
    await watch.next();
    for (let i = 0; i < 101; i++) registry.set("", i % 2 === 0 ? NOT_SERVING : SERVING);
    registry.set("", UNKNOWN); // a sentinel marking the end of the burst
    const seen: ServingStatus[] = [];
    for (;;) {
      const next = await watch.next();
      if (next.done === true || next.value === UNKNOWN) break;
      seen.push(next.value);
    }
    expect(seen.length).toBeLessThan(20);
    expect(seen.at(-1)).toBe(NOT_SERVING);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    controller.abort();
    await watch.return();
  });

  it("a consumer that stops iterating releases its watcher", async () => {
    const registry = new HealthStatusRegistry();
    for await (const _ of registry.watch("", new AbortController().signal)) break;
    expect(registry.watcherCount).toBe(0);
  });
});
