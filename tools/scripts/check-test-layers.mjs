// Fails when a workspace project with a `test` script lacks one of the layer scripts
// (test:unit, test:integration, test:e2e): `nx run-many -t test:<layer>` would skip the project
// silently, and CI, which runs the layers instead of `test`, would not run its tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const layers = ["unit", "integration", "e2e"];
const root = JSON.parse(readFileSync("package.json", "utf8"));
const projectDirs = root.workspaces.flatMap((pattern) => {
  if (!pattern.endsWith("/*")) return [pattern];
  const parent = pattern.slice(0, -2);
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(parent, entry.name));
});
const problems = [];
for (const dir of projectDirs) {
  const file = join(dir, "package.json");
  if (!existsSync(file)) continue;
  const scripts = JSON.parse(readFileSync(file, "utf8")).scripts ?? {};
  if (scripts.test === undefined) continue;
  for (const layer of layers) {
    const expected = `vitest run --config ../../vitest.${layer}.config.ts --root .`;
    if (scripts[`test:${layer}`] !== expected) {
      problems.push(`${file}: "test:${layer}" should be "${expected}"`);
    }
  }
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`test layers: ${projectDirs.length} projects checked`);
