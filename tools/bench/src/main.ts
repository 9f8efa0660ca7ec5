import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Benchmark, BenchmarkResult } from "./benchmark.js";
import { backfillBenchmark } from "./benchmarks/backfill.js";
import { idleStreamMemoryBenchmark } from "./benchmarks/idle-stream-memory.js";
import { metricsOverheadBenchmark } from "./benchmarks/metrics-overhead.js";
import { persistenceBenchmark } from "./benchmarks/persistence.js";
import { priceFanOutBenchmark } from "./benchmarks/price-fan-out.js";
import { soakBenchmark } from "./benchmarks/soak.js";
import { tradingEngineBenchmark } from "./benchmarks/trading-engine.js";
import { unaryRpcBenchmark } from "./benchmarks/unary-rpc.js";
import { type BenchReport, renderTable } from "./report.js";

const BENCHMARKS: readonly Benchmark[] = [
  persistenceBenchmark,
  backfillBenchmark,
  unaryRpcBenchmark,
  priceFanOutBenchmark,
  metricsOverheadBenchmark,
  idleStreamMemoryBenchmark,
  tradingEngineBenchmark,
  soakBenchmark,
];

const usage = `Usage: npm run bench -- [--quick] [--only <name>]... [--out <file.json>]

Runs each benchmark with its baseline in the same run and prints candidate vs baseline medians
and their ratio; writes the full statistics (median, p50, p99, min, max per side) as JSON.

  --quick        fewer rows and rounds (under a minute)
  --only <name>  run only this benchmark (repeatable): ${BENCHMARKS.map((b) => b.name).join(", ")}
                 (${BENCHMARKS.filter((b) => b.optIn === true)
                   .map((b) => b.name)
                   .join(", ")} run only when named: they take minutes)
  --out <file>   JSON output (default tools/bench/results/latest.json)
`;

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const unknown = (values.only ?? []).filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(", ")}\n\n${usage}`);
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) =>
  values.only === undefined ? b.optIn !== true : values.only.includes(b.name),
);
const quick = values.quick ?? false;
const results: BenchmarkResult[] = [];
for (const benchmark of selected) {
  process.stderr.write(`running ${benchmark.name}: ${benchmark.description}\n`);
  const started = performance.now();
  results.push(await benchmark.run({ quick, log: (line) => process.stderr.write(`  ${line}\n`) }));
  process.stderr.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
const firstCpu = cpus()[0];
const report: BenchReport = {
  date: new Date().toISOString(),
  quick,
  machine: {
    node: process.version,
    cores: cpus().length,
    cpu: firstCpu?.model.trim() ?? "unknown",
    platform: `${process.platform}-${process.arch}`,
  },
  results,
};
process.stdout.write(renderTable(report));
const out = resolve(values.out ?? new URL("../results/latest.json", import.meta.url).pathname);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`wrote ${out}\n`);
