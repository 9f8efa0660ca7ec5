// Assembles what an app's image ships, from a built and pruned workspace: the root manifests,
// production node_modules (without links to workspaces the app does not use), and for the app
// and every workspace library it depends on (transitively), its package.json, dist/ and any
// node_modules npm nested in it.
// Usage (run from the repository root, as the Dockerfiles do): node tools/docker/stage-app.mjs <app> <out-dir>
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from "node:fs";
import { join } from "node:path";

const [app, outDir] = process.argv.slice(2);
if (app === undefined || outDir === undefined) {
  console.error("usage: node tools/docker/stage-app.mjs <app> <out-dir>");
  process.exit(2);
}
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

// Workspace packages by name → folder.
const workspaces = new Map();
for (const parent of ["packages", "apps"]) {
  for (const entry of readdirSync(parent)) {
    const manifest = join(parent, entry, "package.json");
    if (existsSync(manifest)) workspaces.set(readJson(manifest).name, join(parent, entry));
  }
}
const appDir = join("apps", app);
if (!existsSync(join(appDir, "dist"))) {
  console.error(`${appDir}/dist is missing: build the app first`);
  process.exit(1);
}

// The app and the workspace libraries it needs, transitively.
const needed = new Set([appDir]);
const queue = [appDir];
while (queue.length > 0) {
  const dir = queue.pop();
  for (const dependency of Object.keys(readJson(join(dir, "package.json")).dependencies ?? {})) {
    const folder = workspaces.get(dependency);
    if (folder !== undefined && !needed.has(folder)) {
      needed.add(folder);
      queue.push(folder);
    }
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const file of ["package.json", "package-lock.json"]) cpSync(file, join(outDir, file));
for (const dir of needed) {
  if (!existsSync(join(dir, "dist"))) {
    console.error(`${dir}/dist is missing: the build did not produce it`);
    process.exit(1);
  }
  cpSync(join(dir, "package.json"), join(outDir, dir, "package.json"));
  cpSync(join(dir, "dist"), join(outDir, dir, "dist"), { recursive: true });
  // npm nests a dependency in the workspace when the root holds another version of it.
  if (existsSync(join(dir, "node_modules"))) {
    cpSync(join(dir, "node_modules"), join(outDir, dir, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
}
cpSync("node_modules", join(outDir, "node_modules"), { recursive: true, verbatimSymlinks: true });
// Links to workspaces the app does not ship would dangle: remove them.
const modules = join(outDir, "node_modules");
const entries = readdirSync(modules).flatMap((entry) =>
  entry.startsWith("@")
    ? readdirSync(join(modules, entry)).map((sub) => join(entry, sub))
    : [entry],
);
for (const entry of entries) {
  const link = join(modules, entry);
  if (!lstatSync(link).isSymbolicLink()) continue;
  const target = readlinkSync(link).replace(/^(\.\.\/)+/, "");
  if (!needed.has(target)) rmSync(link, { force: true });
}
console.log(`staged ${app} with ${[...needed].join(", ")} in ${outDir}`);
