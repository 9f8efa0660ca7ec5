// Sums vitest JSON reports (one per project, written when VITEST_JSON_DIR is set) and prints
// "<passed> <failed>". A project whose report is missing or unreadable counts as one failure.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "test-results";
let passed = 0;
let failed = 0;
let files = [];
try {
  files = readdirSync(dir).filter((name) => name.endsWith(".json"));
} catch {
  files = [];
}
for (const file of files) {
  try {
    const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
    passed += report.numPassedTests ?? 0;
    failed +=
      (report.numFailedTests ?? 0) + (report.success === false && !report.numFailedTests ? 1 : 0);
  } catch {
    failed += 1;
  }
}
console.log(`${passed} ${failed}`);
