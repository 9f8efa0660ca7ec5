import {
  type ServerProcess,
  type ServerProcessOptions,
  startServerProcess,
} from "./server-process.js";

/** The simulator as the benchmarks run it: ports 0, no backfill, info logs (quiet once up). */
const BENCH_DEFAULTS: Readonly<Record<string, string>> = {
  HOST: "127.0.0.1",
  HTTP_PORT: "0",
  GRPC_PORT: "0",
  HISTORY_BACKFILL_HOURS: "0",
  LOG_LEVEL: "info",
};

/** A simulator process with its HTTP (Connect, REST, /metrics) and gRPC ports. */
export interface SimulatorProcess extends ServerProcess {
  readonly httpPort: number;
  readonly grpcPort: number;
}

/**
 * Starts the built `apps/market-data-simulator` as its own process with the benchmark
 * defaults overridden by `env`; resolves once both ports listen.
 */
export async function startSimulatorProcess(
  env: Record<string, string> = {},
  options: ServerProcessOptions = {},
): Promise<SimulatorProcess> {
  const server = await startServerProcess(
    "apps/market-data-simulator/dist/main.js",
    { ...BENCH_DEFAULTS, ...env },
    /listening on http :(\d+) and grpc :(\d+)/,
    options,
  );
  const [httpPort = 0, grpcPort = 0] = server.ports;
  return Object.assign(server, { httpPort, grpcPort });
}
