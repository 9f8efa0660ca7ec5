import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));
const heapProbe = fileURLToPath(new URL("./heap-probe.mjs", import.meta.url));

/** The live heap of a process right after a full garbage collection, and its RSS then. */
export interface MemoryAfterGc {
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

/** How to start a {@link ServerProcess}. */
export interface ServerProcessOptions {
  /**
   * Preload the heap probe (`--expose-gc`), so {@link ServerProcess.memoryAfterGc} works.
   * Off by default: `--expose-gc` must not change what the other benchmarks measure.
   */
  readonly heapProbe?: boolean;
}

/** A server the benchmark runs as its own process, so its CPU and memory can be read alone. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The ports the process reported (the groups of the start-up pattern), in order. */
  readonly ports: readonly number[];
  /** Everything the process wrote on stdout and stderr so far. */
  output(): string;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** Resident set size now, bytes. */
  rssBytes(): number;
  /** Collects garbage in the process and reads its heap (needs `heapProbe`). */
  memoryAfterGc(): Promise<MemoryAfterGc>;
  /** Ends it: SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

const PROBE_REPLY = /heap-after-gc (\d+) rss (\d+)\n/g;

/**
 * Starts a built JavaScript entry of the repository (`apps/<app>/dist/main.js`,
 * `tools/bench/dist/servers/…`) as its own process and resolves once its output matches
 * `portPattern`, whose groups are the ports it listens on. Built, not the sources through tsx:
 * tsx keeps function names with a call per function created, which costs the heap of every
 * stream and CPU that the shipped service does not pay. `npm run bench` builds first.
 */
export function startServerProcess(
  entry: string,
  env: Record<string, string>,
  portPattern: RegExp,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const nodeArgs = options.heapProbe === true ? ["--expose-gc", "--import", heapProbe] : [];
  if (!existsSync(resolvePath(repo, entry))) {
    return Promise.reject(
      new Error(`${entry} is not built: run the benchmarks with \`npm run bench\`, which builds`),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, entry], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let listening = false;
    const probeWaiters: ((memory: MemoryAfterGc) => void)[] = [];
    let probeRepliesSeen = 0;
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const replies = [...output.matchAll(PROBE_REPLY)];
      for (const reply of replies.slice(probeRepliesSeen)) {
        probeWaiters.shift()?.({ heapUsedBytes: Number(reply[1]), rssBytes: Number(reply[2]) });
      }
      probeRepliesSeen = replies.length;
      if (listening) return;
      const match = portPattern.exec(output);
      if (match === null) return;
      listening = true;
      const pid = child.pid as number;
      const ticksPerSecond = 100;
      resolve({
        child,
        ports: match.slice(1).map(Number),
        output: () => output,
        cpuSeconds() {
          const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
          return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
        },
        rssBytes() {
          const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
          return Number(line?.[1] ?? 0) * 1024;
        },
        memoryAfterGc() {
          if (options.heapProbe !== true) {
            return Promise.reject(new Error(`${entry} was started without the heap probe`));
          }
          return new Promise((answer) => {
            probeWaiters.push(answer);
            child.kill("SIGUSR2");
          });
        },
        stop() {
          return new Promise((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
            child.once("exit", () => {
              clearTimeout(kill);
              done();
            });
            child.kill("SIGTERM");
          });
        },
      });
    };
    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", onOutput);
    child.once("exit", (code) => {
      if (!listening) reject(new Error(`${entry} exited ${code} before listening:\n${output}`));
    });
  });
}

/**
 * Starts several server processes at once (their start-ups overlap) and resolves to them in
 * order; when one fails to start, the others are stopped and the first failure is thrown.
 */
export async function startTogether<T extends readonly Promise<ServerProcess>[]>(
  starts: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await Promise.all(
      settled.map((result) => (result.status === "fulfilled" ? result.value.stop() : undefined)),
    );
    throw failure.reason;
  }
  return settled.map((result) => (result as PromiseFulfilledResult<ServerProcess>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
