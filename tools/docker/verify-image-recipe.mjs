// Replays a Dockerfile's recipe without a Docker engine (this machine has none): every stage in
// its own directory of a clean temporary copy of the build context (the repository root, with
// .dockerignore applied), WORKDIR / ENV / COPY / COPY --from / RUN executed as written, then the
// final stage's CMD started with its ENV (on free ports) and its HEALTHCHECK command run until it
// passes, and a SIGTERM that must end the app with exit code 0. It also checks what the image
// ships: a non-root USER, no development dependencies, libraries as dist/ only.
// The base image's Node is replaced by this machine's Node, and RUN is not sandboxed.
// Usage: node tools/docker/verify-image-recipe.mjs docker/images/<app>.Dockerfile
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const dockerfile = process.argv[2];
if (dockerfile === undefined) {
  console.error("usage: node tools/docker/verify-image-recipe.mjs <Dockerfile>");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "image-recipe-"));
const log = (message) => console.log(`[recipe ${dockerfile}] ${message}`);

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text) {
  const lines = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    current += line.endsWith("\\") ? `${line.slice(0, -1)} ` : line;
    if (!line.endsWith("\\")) {
      const space = current.indexOf(" ");
      lines.push({
        op: current.slice(0, space).toUpperCase(),
        args: current.slice(space + 1).trim(),
      });
      current = "";
    }
  }
  return lines;
}

/** A .dockerignore pattern as a RegExp over context-relative paths. */
function ignoreRegex(pattern) {
  const escaped = pattern
    .replace(/^\//, "")
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*\//g, "(?:.*/)?")
    .replace(/\*\*/g, ".*")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]");
  return new RegExp(`^${escaped}(?:/.*)?$`);
}

/** The files docker would send as context: the repository's files minus .dockerignore. */
function contextFiles() {
  const patterns = existsSync(".dockerignore")
    ? readFileSync(".dockerignore", "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"))
        .map(ignoreRegex)
    : [];
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f !== "" && existsSync(f));
  return files.filter((f) => !patterns.some((p) => p.test(f)));
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Splits `KEY=value KEY2="v w"` into pairs. */
function parseEnv(args) {
  const env = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|(\S*))/g)) {
    env[match[1]] = match[3] ?? match[4] ?? "";
  }
  return env;
}

const stages = [];
let stage;
const resolvePath = (path) =>
  join(stage.root, path.startsWith("/") ? path : join(stage.workdir, path));

for (const { op, args } of instructions(readFileSync(dockerfile, "utf8"))) {
  switch (op) {
    case "FROM": {
      const [image, as, name] = args.split(/\s+/);
      stage = {
        name: as?.toUpperCase() === "AS" ? name : String(stages.length),
        image,
        root: join(work, `stage-${stages.length}`),
        workdir: "/",
        env: {},
        user: "root",
        cmd: undefined,
        healthcheck: undefined,
        expose: [],
      };
      mkdirSync(stage.root, { recursive: true });
      stages.push(stage);
      log(`FROM ${image} (stage ${stage.name}; this machine's Node ${process.version} stands in)`);
      break;
    }
    case "WORKDIR":
      stage.workdir = args.startsWith("/") ? args : join(stage.workdir, args);
      mkdirSync(join(stage.root, stage.workdir), { recursive: true });
      break;
    case "ENV":
      Object.assign(stage.env, parseEnv(args));
      break;
    case "COPY": {
      const parts = args.split(/\s+/);
      const from = parts.find((p) => p.startsWith("--from="))?.slice("--from=".length);
      const [source, destination] = parts.filter((p) => !p.startsWith("--"));
      const target = resolvePath(destination);
      if (from === undefined) {
        if (source !== ".")
          throw new Error(`only "COPY . <dir>" from the context is supported, got ${args}`);
        const files = contextFiles();
        for (const file of files) {
          mkdirSync(dirname(join(target, file)), { recursive: true });
          cpSync(file, join(target, file));
        }
        log(`COPY context: ${files.length} files`);
      } else {
        const origin = stages.find((s) => s.name === from);
        if (origin === undefined) throw new Error(`COPY --from=${from}: no such stage`);
        cpSync(join(origin.root, source), target, { recursive: true, verbatimSymlinks: true });
        log(`COPY --from=${from} ${source} → ${destination}`);
      }
      break;
    }
    case "RUN": {
      log(`RUN ${args}`);
      execFileSync("bash", ["-c", args], {
        cwd: join(stage.root, stage.workdir),
        env: { ...process.env, ...stage.env },
        stdio: ["ignore", "inherit", "inherit"],
      });
      break;
    }
    case "USER":
      stage.user = args;
      break;
    case "EXPOSE":
      stage.expose = args.split(/\s+/);
      break;
    case "HEALTHCHECK":
      stage.healthcheck = JSON.parse(args.slice(args.indexOf("CMD") + 3).trim());
      break;
    case "CMD":
      stage.cmd = JSON.parse(args);
      break;
    default:
      break;
  }
}

const final = stage;
const failures = [];
const expect = (ok, message) => {
  log(`${ok ? "ok" : "FAILED"}: ${message}`);
  if (!ok) failures.push(message);
};
const appRoot = join(final.root, final.workdir);
expect(final.user !== "root" && final.user !== "0", `runs as a non-root user (${final.user})`);
expect(final.cmd !== undefined && final.healthcheck !== undefined, "has a CMD and a HEALTHCHECK");
expect(
  final.expose.includes("8080") && final.expose.includes("50051"),
  `exposes 8080 and 50051 (${final.expose.join(" ")})`,
);
for (const dev of ["typescript", "vitest", "nx", "@biomejs/biome", "tsx"]) {
  expect(!existsSync(join(appRoot, "node_modules", dev)), `ships no development dependency ${dev}`);
}
const sources = execFileSync(
  "find",
  [
    appRoot,
    "-path",
    "*/node_modules",
    "-prune",
    "-o",
    "-name",
    "*.ts",
    "-path",
    "*/src/*",
    "-print",
  ],
  { encoding: "utf8" },
)
  .split("\n")
  .filter((f) => f !== "");
expect(
  sources.length === 0,
  `ships dist/ only, no TypeScript sources (${sources
    .slice(0, 3)
    .map((f) => relative(appRoot, f))
    .join(", ")})`,
);

// Run it as the image would, on free ports so it can run next to anything else.
const env = {
  ...process.env,
  ...final.env,
  HTTP_PORT: String(await freePort()),
  GRPC_PORT: String(await freePort()),
};
log(`CMD ${final.cmd.join(" ")} (HTTP_PORT=${env.HTTP_PORT})`);
const child = spawn(final.cmd[0], final.cmd.slice(1), {
  cwd: appRoot,
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
child.stdout.on("data", (d) => {
  output += d;
});
child.stderr.on("data", (d) => {
  output += d;
});
let healthy = false;
for (let attempt = 0; attempt < 100 && child.exitCode === null && !healthy; attempt++) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    execFileSync(final.healthcheck[0], final.healthcheck.slice(1), {
      cwd: appRoot,
      env,
      stdio: "ignore",
    });
    healthy = true;
  } catch {
    // not yet
  }
}
expect(healthy, "the HEALTHCHECK command passes against the running app");
const code =
  child.exitCode ??
  (await new Promise((resolve) => {
    child.once("exit", (exitCode) => resolve(exitCode));
    child.kill("SIGTERM");
  }));
expect(code === 0, `exits 0 on SIGTERM (got ${code})`);
if (failures.length > 0) {
  console.log(output);
  log(`kept ${work} for inspection`);
} else {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failures.length === 0 ? 0 : 1);
