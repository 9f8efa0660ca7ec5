import { createServer } from "node:net";
import { ConfigError } from "../config/config-error.js";

/** Binds `host`:`port` and releases it at once; rejects with the bind error. */
function tryBind(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Checks, before anything is started or written, that the service can listen where it is
 * configured to: `host` resolves to an address of this machine and each non-zero port is free
 * and allowed. Throws a {@link ConfigError} naming `HOST`, `HTTP_PORT` or `GRPC_PORT` (the two
 * ports must also differ). A port taken between this check and the real bind still fails then.
 */
export async function checkBindable(
  host: string,
  ports: { readonly http: number; readonly grpc: number },
): Promise<void> {
  if (ports.http !== 0 && ports.http === ports.grpc) {
    throw new ConfigError(
      "GRPC_PORT",
      `invalid configuration: GRPC_PORT (--grpc-port) must differ from HTTP_PORT, got ${ports.grpc} for both`,
    );
  }
  const checks: [string, string, number][] = [
    ["HOST", "host", 0],
    ["HTTP_PORT", "http-port", ports.http],
    ["GRPC_PORT", "grpc-port", ports.grpc],
  ];
  for (const [variable, flag, port] of checks) {
    if (variable !== "HOST" && port === 0) continue;
    try {
      await tryBind(host, port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const onHost = code === "ENOTFOUND" || code === "EADDRNOTAVAIL" || code === "EAI_AGAIN";
      const [name, shown, rule] = onHost
        ? ["HOST", "host", `is not an address of this machine (${code})`]
        : [variable, flag, `cannot be listened on at ${host}:${port} (${code})`];
      throw new ConfigError(name, `invalid configuration: ${name} (--${shown}) ${rule}`);
    }
  }
}
