// Sums vitest JSON reports (one per project and test layer, `<project>.<layer>.json`, written when
// VITEST_JSON_DIR is set) and prints "<passed> <failed>". A report that is unreadable counts as
// one failure. With --by-layer it prints "<layer> <files> <passed> <failed>" per layer instead.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const byLayer = args.includes("--by-layer");
const dir = args.find((arg) => !arg.startsWith("--")) ?? "test-results";
/** @type {Map<string, { files: number; passed: number; failed: number }>} */
const layers = new Map();
let files = [];
try {
  files = readdirSync(dir).filter((name) => name.endsWith(".json"));
} catch {
  files = [];
}
for (const file of files) {
  const layer = file.split(".").at(-2) ?? "unknown";
  const totals = layers.get(layer) ?? { files: 0, passed: 0, failed: 0 };
  layers.set(layer, totals);
  try {
    const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
    totals.files += report.testResults?.length ?? 0;
    totals.passed += report.numPassedTests ?? 0;
    totals.failed +=
      (report.numFailedTests ?? 0) + (report.success === false && !report.numFailedTests ? 1 : 0);
  } catch {
    totals.failed += 1;
  }
}
if (byLayer) {
  for (const [layer, { files: count, passed, failed }] of [...layers].sort()) {
    console.log(`${layer} ${count} ${passed} ${failed}`);
  }
} else {
  let passed = 0;
  let failed = 0;
  for (const totals of layers.values()) {
    passed += totals.passed;
    failed += totals.failed;
  }
  console.log(`${passed} ${failed}`);
}
