import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { gate } from "./test-servers.js";

/**
 * A database or cache server of one test file's own, on 127.0.0.1 and a spare port, which the
 * test may stop and start again — so a fault test can take "Postgres" or "Redis" away without
 * touching the machine's shared servers.
 */
export interface PrivateServer {
  /** The URL to connect to; the same across {@link stop} and {@link start}. */
  readonly url: string;
  readonly port: number;
  /** Whether the server process runs now. */
  readonly running: boolean;
  /**
   * Stops the server as its operator would (Postgres: fast shutdown, clients disconnected;
   * Redis: SIGTERM without saving) and resolves once the process has exited.
   */
  stop(): Promise<void>;
  /**
   * Starts it again on the same port and resolves once it accepts connections. Postgres keeps
   * its data; Redis comes back empty (it persists nothing).
   */
  start(): Promise<void>;
  /** Stops the server and deletes its files. Idempotent. */
  close(): Promise<void>;
  /** What the server logged so far, for failure messages. */
  log(): string;
}

/** How long a private server may take to start or stop on a loaded machine. */
const SERVER_TIMEOUT_MS = 60_000;

const execFileAsync = promisify(execFile);

/**
 * The directory of the Postgres server binaries: `POSTGRES_BIN_DIR`, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian's layout, where they are not on `PATH`), else the
 * `PATH` directory holding `initdb`; `undefined` when none has it.
 */
function findPostgresBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // No Debian layout: only the override (or nothing).
  }
  candidates.push(...(process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== ""));
  return candidates.find((dir) => executable(join(dir, "initdb")));
}

/** The path of `redis-server` (`REDIS_SERVER_BIN`, else found on `PATH`), or `undefined`. */
function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER_BIN) {
    return executable(process.env.REDIS_SERVER_BIN) ? process.env.REDIS_SERVER_BIN : undefined;
  }
  return (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, "redis-server"))
    .find(executable);
}

/**
 * The uid and gid Postgres runs as. Postgres refuses to run as root, so a test running as
 * root runs it as the `postgres` system user that the Debian packages create.
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error("running as root, and there is no `postgres` user to run a private Postgres");
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * `describe` for suites that start a private Postgres: skipped with a loud warning locally when
 * `initdb` is not installed, a hard failure when `CI=true`. The binaries are looked for only
 * here, so importing the testing helpers costs nothing to suites that do not need them.
 */
export function describeWithPrivatePostgres(name: string, suite: () => void): void {
  const where = "POSTGRES_BIN_DIR, /usr/lib/postgresql/*/bin or PATH";
  gate(
    "Postgres server binaries (initdb, postgres)",
    findPostgresBinDir() !== undefined,
    where,
  )(name, suite);
}

/** `describe` for suites that start a private Redis; same rules as {@link describeWithPrivatePostgres}. */
export function describeWithPrivateRedis(name: string, suite: () => void): void {
  gate("redis-server", findRedisServer() !== undefined, "REDIS_SERVER_BIN or PATH")(name, suite);
}

/**
 * Creates a throw-away Postgres cluster (`initdb`, trust authentication, no fsync) in a
 * temporary directory and starts it on a spare port. The URL names the `postgres` database
 * and user. Pair with `close()` in `afterAll`; the process is also killed if the test process
 * exits first.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) throw new Error("initdb not found (set POSTGRES_BIN_DIR)");
  const user = postgresUser();
  const root = await mkdtemp(join(tmpdir(), "tse-private-postgres-"));
  const dataDir = join(root, "data");
  try {
    if (user !== undefined) await chown(root, user.uid, user.gid);
    await chmod(root, 0o700);
    await execFileAsync(
      join(binDir, "initdb"),
      [
        "-D",
        dataDir,
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-instructions",
      ],
      { ...(user ?? {}), timeout: SERVER_TIMEOUT_MS },
    );
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const port = await sparePort();
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-k",
    root,
    "-c",
    "listen_addresses=127.0.0.1",
    // A test cluster: durability buys nothing and costs time on a busy disk.
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "shared_buffers=32MB",
  ];
  return startManaged({
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    root,
    command: join(binDir, "postgres"),
    args,
    user,
    ready: "database system is ready to accept connections",
    // SIGINT is Postgres' "fast" shutdown: sessions are ended, the cluster closes cleanly.
    stopSignal: "SIGINT",
    // SIGQUIT is its "immediate" shutdown, which also ends the backends, for an abandoned run.
    killSignal: "SIGQUIT",
  });
}

/**
 * Starts a `redis-server` of its own on a spare port, persisting nothing (`--save ""
 * --appendonly no`), so a restart brings back an empty server as after a real crash. Pair
 * with `close()` in `afterAll`.
 */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const command = findRedisServer();
  if (command === undefined) throw new Error("redis-server not found (set REDIS_SERVER_BIN)");
  const root = await mkdtemp(join(tmpdir(), "tse-private-redis-"));
  const port = await sparePort();
  return startManaged({
    url: `redis://127.0.0.1:${port}`,
    port,
    root,
    command,
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      root,
      "--daemonize",
      "no",
      "--logfile",
      "",
    ],
    user: undefined,
    ready: "Ready to accept connections",
    stopSignal: "SIGTERM",
    killSignal: "SIGKILL",
  });
}

interface ManagedServerSpec {
  readonly url: string;
  readonly port: number;
  /** The temporary directory holding everything of the server; removed by `close()`. */
  readonly root: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly user: { uid: number; gid: number } | undefined;
  /** The log line that says the server accepts connections. */
  readonly ready: string;
  readonly stopSignal: NodeJS.Signals;
  /** Sent when the test process exits with the server still running. */
  readonly killSignal: NodeJS.Signals;
}

async function startManaged(spec: ManagedServerSpec): Promise<PrivateServer> {
  let child: ChildProcess | undefined;
  let output = "";
  let closed = false;
  const killOnExit = () => child?.kill(spec.killSignal);
  process.once("exit", killOnExit);

  const start = async () => {
    if (child !== undefined) return;
    const from = output.length;
    const started = spawn(spec.command, spec.args, {
      ...(spec.user ?? {}),
      cwd: spec.root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.once("exit", () => {
      if (child === started) child = undefined;
    });
    const append = (chunk: Buffer) => {
      output += chunk.toString();
    };
    started.stdout?.on("data", append);
    started.stderr?.on("data", append);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error("did not start in time")), SERVER_TIMEOUT_MS);
      const onData = () => {
        if (output.indexOf(spec.ready, from) >= 0) finish();
      };
      const onExit = (code: number | null) => finish(new Error(`exited with ${code}`));
      function finish(error?: Error) {
        clearTimeout(timer);
        started.stdout?.off("data", onData);
        started.stderr?.off("data", onData);
        started.off("exit", onExit);
        if (error === undefined) resolve();
        else reject(new Error(`${spec.command} on port ${spec.port}: ${error.message}\n${output}`));
      }
      started.stdout?.on("data", onData);
      started.stderr?.on("data", onData);
      started.once("exit", onExit);
    });
  };

  const stop = async () => {
    const running = child;
    if (running === undefined) return;
    const exited = once(running, "exit");
    running.kill(spec.stopSignal);
    const timer = setTimeout(() => running.kill("SIGKILL"), SERVER_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    await stop();
    process.off("exit", killOnExit);
    await rm(spec.root, { recursive: true, force: true });
    throw error;
  }
  return {
    url: spec.url,
    port: spec.port,
    get running() {
      return child !== undefined;
    },
    stop,
    async start() {
      if (closed) throw new Error("the private server is closed");
      await start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      process.off("exit", killOnExit);
      await rm(spec.root, { recursive: true, force: true });
    },
    log: () => output,
  };
}

/** A port nothing listens on right now (the OS picks it; the server binds it just after). */
async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no spare port");
  return address.port;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
