import { describe, expect, it } from "vitest";
import { MarketDataFeedLog } from "./market-data-feed-log.js";

interface Line {
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly at: number;
}

function setup() {
  let now = 0;
  const lines: Line[] = [];
  const log = new MarketDataFeedLog({
    log: (level, message, fields) => lines.push({ level, message, fields, at: now }),
    now: () => now,
  });
  return {
    log,
    lines,
    /** Advances the clock by `ms`, calling `every` each `stepMs` on the way. */
    run: (ms: number, stepMs: number, every: () => void) => {
      for (let t = stepMs; t <= ms; t += stepMs) {
        now += stepMs;
        every();
      }
    },
  };
}

const refused = new Error("connect ECONNREFUSED 127.0.0.1:50051");

describe("MarketDataFeedLog (issue 19 item 19)", () => {
  it("logs a ten-minute simulator outage as a start, a summary a minute and a recovery", () => {
    const { log, lines, run } = setup();
    // The feed retries every 4 s (its largest backoff) for 10 minutes: 150 failures.
    run(600_000, 4_000, () => log.streamFailed(refused));
    // Quotes flow again, every 100 ms; within 5 s of the last failure that is no recovery yet.
    run(4_900, 100, () => log.quoteReceived());
    expect(lines.at(-1)?.message).not.toBe("market data stream recovered");
    run(10_000, 100, () => log.quoteReceived());

    const [first, ...rest] = lines;
    expect(first).toMatchObject({
      level: "warn",
      message: "market data stream failing",
      fields: { err: refused },
      at: 4_000,
    });
    const summaries = rest.filter((l) => l.message === "market data stream still failing");
    expect(summaries.length).toBeLessThanOrEqual(10);
    expect(summaries.length).toBeGreaterThanOrEqual(9);
    // Each summary counts the failures since the line before it, and all of them so far.
    let counted = 1;
    for (const [i, summary] of summaries.entries()) {
      counted += summary.fields.failures as number;
      expect(summary.level).toBe("warn");
      expect(summary.fields).toMatchObject({
        failuresTotal: counted,
        failingForMs: summary.at - 4_000,
        lastError: refused.message,
      });
      if (i > 0) expect(summary.at - (summaries[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    }
    expect(counted).toBeGreaterThan(135);
    const recovered = rest.filter((l) => l.message === "market data stream recovered");
    expect(recovered).toEqual([
      {
        level: "info",
        message: "market data stream recovered",
        fields: { failures: 150, failedForMs: 600_100 - 4_000 },
        at: 605_000,
      },
    ]);
    expect(lines).toHaveLength(1 + summaries.length + 1);
  });

  it("logs failed rule loads apart from the stream, once until a load succeeds", () => {
    const { log, lines, run } = setup();
    run(30_000, 2_000, () => log.rulesLoadFailed(refused));
    run(10_000, 5_000, () => log.rulesLoaded());
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ["warn", "instrument rules loading failing"],
      ["info", "instrument rules loading recovered"],
    ]);
    expect(lines[1]?.fields).toEqual({ failures: 15, failedForMs: 35_000 - 2_000 });
  });

  it("writes nothing while everything works", () => {
    const { log, lines, run } = setup();
    run(60_000, 100, () => {
      log.quoteReceived();
      log.rulesLoaded();
    });
    expect(lines).toEqual([]);
  });
});
