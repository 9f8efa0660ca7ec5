import { describe, expect, it } from "vitest";
import { Readiness } from "./readiness.js";

describe("Readiness", () => {
  it("is ready when every check passes or is disabled", async () => {
    const readiness = new Readiness(
      { postgres: async () => undefined, redis: "disabled" },
      { cacheMs: 0 },
    );
    expect(await readiness.evaluate()).toEqual({
      ready: true,
      checks: { postgres: "ok", redis: "disabled" },
    });
  });

  it("reports the reason of a failing check, with secrets redacted", async () => {
    const readiness = new Readiness(
      {
        postgres: async () => {
          throw new Error("connect ECONNREFUSED postgres://app:pw@127.0.0.1:1/x");
        },
        redis: async () => undefined,
      },
      { cacheMs: 0 },
    );
    const report = await readiness.evaluate();
    expect(report.ready).toBe(false);
    expect(report.checks.postgres).toBe(
      "error: connect ECONNREFUSED postgres://app:***@127.0.0.1:1/x",
    );
    expect(report.checks.redis).toBe("ok");
  });

  it("times out a hanging check and aborts its signal", async () => {
    let aborted = false;
    const readiness = new Readiness(
      {
        slow: (signal) =>
          new Promise<void>(() => {
            signal.addEventListener("abort", () => {
              aborted = true;
            });
          }),
      },
      { cacheMs: 0, timeoutMs: 20 },
    );
    expect(await readiness.evaluate()).toEqual({
      ready: false,
      checks: { slow: "error: timed out after 20 ms" },
    });
    expect(aborted).toBe(true);
  });

  it("caches a report for cacheMs and shares one evaluation between concurrent callers", async () => {
    let now = 1_000;
    let runs = 0;
    let healthy = true;
    const readiness = new Readiness(
      {
        db: async () => {
          runs += 1;
          if (!healthy) throw new Error("down");
        },
      },
      { cacheMs: 1_000, now: () => now },
    );
    await Promise.all([readiness.evaluate(), readiness.evaluate(), readiness.evaluate()]);
    expect(runs).toBe(1);
    healthy = false;
    now += 999;
    expect((await readiness.evaluate()).ready).toBe(true);
    expect(runs).toBe(1);
    now += 1;
    expect((await readiness.evaluate()).ready).toBe(false);
    expect(runs).toBe(2);
  });

  it("is never ready again once shutting down", async () => {
    const readiness = new Readiness({ db: async () => undefined }, { cacheMs: 60_000 });
    expect((await readiness.evaluate()).ready).toBe(true);
    readiness.markShuttingDown();
    expect(await readiness.evaluate()).toEqual({
      ready: false,
      checks: { db: "ok", server: "error: shutting down" },
    });
  });
});
