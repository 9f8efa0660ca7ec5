import { type BenchmarkResult, targetMet } from "./benchmark.js";

/** The machine a run was measured on, recorded with the figures. */
export interface MachineInfo {
  readonly node: string;
  readonly cores: number;
  readonly cpu: string;
  readonly platform: string;
}

/** What `tools/bench` writes as JSON. */
export interface BenchReport {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly results: readonly BenchmarkResult[];
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Quick runs take one to three rounds a side: a smoke test, not a verdict on the targets. */
const QUICK_NOTE =
  " (--quick: 1–3 rounds a side, ratios are indicative; targets are judged on the full run)";

/**
 * The report as a plain-text table: one line per comparison and per bounded figure, then the
 * single figures.
 */
export function renderTable(report: BenchReport): string {
  const header = ["benchmark", "subject", "candidate p50", "baseline p50", "ratio", "target", "ok"];
  const rows: string[][] = [header];
  for (const result of report.results) {
    for (const c of result.comparisons) {
      const met = targetMet(c);
      rows.push([
        result.name,
        c.subject,
        `${number.format(c.candidate.median)} ${c.unit}`,
        `${number.format(c.baseline.median)} ${c.unit}`,
        c.ratio.toFixed(2),
        c.target === undefined ? "-" : `≥ ${c.target}`,
        met === undefined ? "-" : met ? "yes" : "MISSED",
      ]);
    }
    for (const limit of result.limits ?? []) {
      rows.push([
        result.name,
        limit.subject,
        `${decimal.format(limit.value)} ${limit.unit}`,
        "-",
        "-",
        `≤ ${limit.max} ${limit.unit}`,
        limit.value <= limit.max ? "yes" : "MISSED",
      ]);
    }
  }
  const widths = header.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  for (const result of report.results) {
    for (const [name, value] of Object.entries(result.figures)) {
      lines.push(`${result.name}: ${name} = ${value}`);
    }
  }
  const { machine } = report;
  lines.push(
    `measured ${report.date} on ${machine.cores} × ${machine.cpu}, Node ${machine.node}${report.quick ? QUICK_NOTE : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
