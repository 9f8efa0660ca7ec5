#!/usr/bin/env node
// Prints the figures issue 20 asks to compare before and after a restructuring: the largest
// production files, domain files over 400 lines, production files with logic but no test beside
// them, and the names each package's `src/index.ts` exports. Usage:
//   node tools/scripts/structure-report.mjs [repository root]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? ".");
const ts = createRequire(join(root, "package.json"))("typescript");
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", "gen", ".git", "public"]);

function sourceFiles(directory, found = []) {
  for (const entry of readdirSync(directory)) {
    if (SKIPPED_DIRECTORIES.has(entry)) continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, found);
    else if (path.endsWith(".ts") && !path.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

const isTest = (path) => path.endsWith(".test.ts");
const isTestSupport = (path) => /\/testing\//.test(path) || path.includes(".contract.");
const files = ["apps", "packages"].flatMap((folder) => sourceFiles(join(root, folder)));
const production = files.filter((path) => !isTest(path) && !isTestSupport(path));
const lineCount = (path) => readFileSync(path, "utf8").split("\n").length - 1;
/** A file whose JavaScript is empty declares only types (or re-exports): nothing to test. */
const hasLogic = (path) => {
  const { outputText } = ts.transpileModule(readFileSync(path, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const statements = outputText
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^export \{\s*\};?$/.test(line.trim()))
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .filter((line) => !/^(export \{[^}]*\} from|export \* from|import )/.test(line.trim()));
  return statements.length > 0;
};
const hasTestBeside = (path) => {
  const stem = path.replace(/\.ts$/, "");
  return files.some((other) => other.startsWith(`${stem}.`) && isTest(other));
};

const sized = production
  .map((path) => ({ lines: lineCount(path), path: relative(root, path) }))
  .sort((a, b) => b.lines - a.lines);
console.log("## largest production files");
for (const { lines, path } of sized.slice(0, 10)) console.log(`${lines}\t${path}`);
console.log("## domain files over 400 lines");
for (const { lines, path } of sized.filter((f) => f.lines > 400 && f.path.includes("/domain/"))) {
  console.log(`${lines}\t${path}`);
}
const withLogic = production.filter(hasLogic);
const untested = withLogic.filter((path) => !hasTestBeside(path));
if (process.env.LIST_UNTESTED)
  for (const path of untested) console.log(`untested\t${relative(root, path)}`);
console.log(
  `## production files: ${production.length}; with logic: ${withLogic.length}; ` +
    `with logic and no test beside: ${untested.length}`,
);

console.log("## names exported by each package's src/index.ts");
const indexes = readdirSync(join(root, "packages"))
  .map((name) => join(root, "packages", name, "src", "index.ts"))
  .filter((path) => existsSync(path));
const program = ts.createProgram(indexes, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  skipLibCheck: true,
  customConditions: ["@tse/source"],
});
const checker = program.getTypeChecker();
for (const index of indexes) {
  const module = checker.getSymbolAtLocation(program.getSourceFile(index));
  const count = module === undefined ? 0 : checker.getExportsOfModule(module).length;
  console.log(`${count}\t${relative(join(root, "packages"), index).split("/")[0]}`);
}
