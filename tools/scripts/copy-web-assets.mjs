// Copies a package's web page files (HTML, CSS, browser JavaScript) from src/ into the same place
// in its build, which tsc does not do, so that the page is served from dist/ alone (as in the
// docker images, which ship dist/ only).
// Usage, from the package's folder as its build script runs it:
//   node ../../tools/scripts/copy-web-assets.mjs src/<folder>    (copied to dist/<folder>)
import { cpSync, rmSync } from "node:fs";

const from = process.argv[2];
if (from === undefined || !from.startsWith("src/")) {
  console.error("usage: node copy-web-assets.mjs src/<folder>");
  process.exit(2);
}
const to = `dist/${from.slice("src/".length)}`;
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
