import { describe, expect, it } from "vitest";
import { RepeatedFailureLog, type RepeatedFailureLogOptions } from "./repeated-failure-log.js";

interface Line {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

function setup(options: Partial<RepeatedFailureLogOptions> = {}) {
  const lines: Line[] = [];
  let now = 1_000_000;
  const log = new RepeatedFailureLog({
    what: "publishing quotes",
    log: (level, message, fields) => lines.push({ level, message, fields }),
    now: () => now,
    ...options,
  });
  /** `count` attempts `everyMs` apart, failing where `fails(i)` says so. */
  const attempts = (count: number, everyMs: number, fails: (i: number) => boolean) => {
    for (let i = 0; i < count; i++) {
      now += everyMs;
      if (fails(i)) log.failed(new Error(`redis down ${i}`));
      else log.succeeded();
    }
  };
  return { log, lines, attempts, at: () => now };
}

describe("RepeatedFailureLog", () => {
  it("writes nothing while all is well", () => {
    const { lines, attempts } = setup();
    attempts(1_000, 100, () => false);
    expect(lines).toEqual([]);
  });

  it("logs the start of an outage with its error, a summary a minute, and the recovery", () => {
    const { lines, attempts, log } = setup();
    // 30 s of ticks every 100 ms failing, as in issue 19, then 10 s of success.
    attempts(300, 100, () => true);
    expect(log.failing).toBe(true);
    attempts(100, 100, () => false);
    expect(log.failing).toBe(false);
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      "warn publishing quotes failing",
      "info publishing quotes recovered",
    ]);
    expect(lines[0]?.fields.err).toBeInstanceOf(Error);
    expect(String(lines[0]?.fields.err)).toBe("Error: redis down 0");
    // Failed from the first failure to the first success after the last one: 29.9 + 0.1 s.
    expect(lines[1]?.fields).toEqual({ failures: 300, failedForMs: 30_000 });
  });

  it("summarises a long outage at most once per interval, with counts and the last error", () => {
    const { lines, attempts } = setup();
    // Ten minutes of failures every 100 ms: 6 000 failures.
    attempts(6_000, 100, () => true);
    expect(lines).toHaveLength(1 + 9);
    const first = lines[1];
    expect(first?.message).toBe("publishing quotes still failing");
    expect(first?.fields).toEqual({
      failures: 600,
      failuresTotal: 601,
      failingForMs: 60_000,
      lastError: "redis down 600",
    });
    const counted = lines.slice(1).reduce((sum, l) => sum + (l.fields.failures as number), 0);
    expect(counted).toBe(6_000 - 1 - 599);
    expect(lines.every((l) => l.level === "warn")).toBe(true);
  });

  it("reports a flapping outage as one: no recovery until it has stayed well for settleMs", () => {
    const { lines, attempts } = setup({ settleMs: 5_000 });
    // Every other attempt fails for 2 minutes, then it works.
    attempts(1_200, 100, (i) => i % 2 === 0);
    attempts(100, 100, () => false);
    expect(lines.map((l) => l.message)).toEqual([
      "publishing quotes failing",
      "publishing quotes still failing",
      "publishing quotes recovered",
    ]);
    expect(lines[1]?.fields).toMatchObject({ failures: 300, failingForMs: 60_000 });
    expect(lines.at(-1)?.fields).toEqual({ failures: 600, failedForMs: 119_900 });
  });

  it("logs a new outage after a recovery, each with its own count", () => {
    const { lines, attempts } = setup({ settleMs: 1_000 });
    attempts(5, 100, () => true);
    attempts(20, 100, () => false);
    attempts(3, 100, () => true);
    attempts(20, 100, () => false);
    expect(lines.map((l) => [l.message, l.fields.failures])).toEqual([
      ["publishing quotes failing", undefined],
      ["publishing quotes recovered", 5],
      ["publishing quotes failing", undefined],
      ["publishing quotes recovered", 3],
    ]);
  });

  it("suits a slow heartbeat: a failure every 30 s is summarised every other one", () => {
    const { lines, attempts } = setup();
    attempts(10, 30_000, () => true);
    attempts(1, 30_000, () => false);
    expect(lines.map((l) => l.message)).toEqual([
      "publishing quotes failing",
      "publishing quotes still failing",
      "publishing quotes still failing",
      "publishing quotes still failing",
      "publishing quotes still failing",
      "publishing quotes recovered",
    ]);
    expect(lines.at(-1)?.fields).toEqual({ failures: 10, failedForMs: 300_000 });
  });
});
