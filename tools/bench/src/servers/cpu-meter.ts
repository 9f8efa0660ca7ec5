import type { ServerProcess } from "./server-process.js";

/** Accumulates a server's CPU time over chosen stretches of work, and how much work they did. */
export class CpuMeter {
  #seconds = 0;
  #work = 0;

  constructor(private readonly server: ServerProcess) {}

  /** Runs `work` (resolving to a count of requests, rows, …) and adds its server CPU time. */
  async measure(work: () => Promise<number>): Promise<number> {
    const before = this.server.cpuSeconds();
    const done = await work();
    this.#seconds += this.server.cpuSeconds() - before;
    this.#work += done;
    return done;
  }

  /** Server CPU microseconds per unit of work measured so far. */
  microsecondsPerUnit(): number {
    return this.#work === 0 ? Number.NaN : (this.#seconds * 1e6) / this.#work;
  }
}
