import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root, for spawning processes and finding tools in tests. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** A service process started by {@link spawnService}. */
export interface SpawnedService {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Its resident set size now, in bytes (from `/proc`, so Linux only). */
  rssBytes(): number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a service entry point as a real process, on free ports unless `env` sets them, and
 * resolves once it logs that it is listening. A TypeScript entry (`src/main.ts`) runs with tsx
 * and the `@tse/source` condition (no build needed); a JavaScript one (`dist/main.js`) runs
 * with plain node, as in production. Rejects with its output if it exits first.
 */
export async function spawnService(
  entry: string,
  env: Record<string, string> = {},
): Promise<SpawnedService> {
  const child = spawn(process.execPath, nodeArguments(entry), {
    cwd: repoRoot,
    env: { ...process.env, HOST: "127.0.0.1", HTTP_PORT: "0", GRPC_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const ports = await new Promise<{ http: number; grpc: number }>((resolve, reject) => {
    const onData = () => {
      const match = /listening on http :(\d+) and grpc :(\d+)/.exec(output);
      if (match?.[1] && match[2]) {
        child.stdout.off("data", onData);
        resolve({ http: Number(match[1]), grpc: Number(match[2]) });
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`service exited with ${code} before listening:\n${output}`)),
    );
  });
  return {
    child,
    httpPort: ports.http,
    grpcPort: ports.grpc,
    output: () => output,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, "exit");
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/**
 * Runs a service entry point to completion (for `--help` or invalid configuration) and
 * resolves with its exit code and output.
 */
export function runServiceToExit(
  entry: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArguments(entry), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HOST: "127.0.0.1", HTTP_PORT: "0", GRPC_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** How node runs `entry`: TypeScript sources through tsx, built JavaScript as it is. */
function nodeArguments(entry: string): string[] {
  return entry.endsWith(".ts") ? ["--conditions=@tse/source", "--import", "tsx", entry] : [entry];
}
