import { describe, expect, it } from "vitest";
import type { BenchmarkResult } from "./benchmark.js";
import { renderTable } from "./report.js";
import { summarize } from "./stats.js";

const machine = { node: "v20.20.2", cores: 2, cpu: "test cpu", platform: "linux-x64" };

function report(results: BenchmarkResult[]) {
  return renderTable({ date: "2026-11-23T00:00:00.000Z", quick: true, machine, results });
}

describe("renderTable", () => {
  it("marks a comparison under its target MISSED and one at or above it yes", () => {
    const table = report([
      {
        name: "unary-rpc",
        comparisons: [
          {
            subject: "low",
            unit: "req/s",
            candidate: summarize([80]),
            baselineName: "bare",
            baseline: summarize([100]),
            ratio: 0.8,
            target: 0.85,
          },
          {
            subject: "high",
            unit: "req/s",
            candidate: summarize([90]),
            baselineName: "bare",
            baseline: summarize([100]),
            ratio: 0.9,
            target: 0.85,
          },
        ],
        figures: { "cpu µs/request": 512 },
      },
    ]);
    expect(table).toMatch(/low\s+80 req\/s\s+100 req\/s\s+0\.80\s+≥ 0\.85\s+MISSED/);
    expect(table).toMatch(/high\s+90 req\/s\s+100 req\/s\s+0\.90\s+≥ 0\.85\s+yes/);
    expect(table).toContain("unary-rpc: cpu µs/request = 512");
    expect(table).toContain(
      "measured 2026-11-23T00:00:00.000Z on 2 × test cpu, Node v20.20.2 (--quick: 1–3 rounds a side, ratios are indicative; targets are judged on the full run)",
    );
  });

  it("checks bounded figures against their maximum", () => {
    const table = report([
      {
        name: "memory",
        comparisons: [],
        limits: [
          { subject: "per stream", unit: "KB", value: 71.6, max: 64 },
          { subject: "growth", unit: "%", value: 4.2, max: 10 },
        ],
        figures: {},
      },
    ]);
    expect(table).toMatch(/per stream\s+71\.6 KB\s+-\s+-\s+≤ 64 KB\s+MISSED/);
    expect(table).toMatch(/growth\s+4\.2 %\s+-\s+-\s+≤ 10 %\s+yes/);
  });
});
