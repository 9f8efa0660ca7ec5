import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));

/** A server the benchmark runs as its own process, so its CPU and memory can be read alone. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The ports the process reported (the groups of the start-up pattern), in order. */
  readonly ports: readonly number[];
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** Resident set size now, bytes. */
  rssBytes(): number;
  /** Ends it: SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry of the repository as a process (tsx, `@tse/source`) and resolves once
 * its output matches `portPattern`, whose groups are the ports it listens on.
 */
export function startServerProcess(
  entry: string,
  env: Record<string, string>,
  portPattern: RegExp,
): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@tse/source", "--import", "tsx", entry], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (match === null) return;
      child.stdout?.off("data", onData);
      const pid = child.pid as number;
      const ticks = 100;
      resolve({
        child,
        ports: match.slice(1).map(Number),
        cpuSeconds() {
          const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
          return (Number(fields[11]) + Number(fields[12])) / ticks;
        },
        rssBytes() {
          const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
          return Number(line?.[1] ?? 0) * 1024;
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
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`${entry} exited ${code} before listening:\n${output}`)),
    );
  });
}
