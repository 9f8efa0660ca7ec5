import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/**
 * A gRPC transport to the simulator at `baseUrl` that sends `Authorization: Bearer <authToken>`
 * on every call when a token is given (`MARKET_DATA_AUTH_TOKEN`, for a simulator whose reads
 * are protected); the engine only reads from the simulator.
 */
export function simulatorTransport(baseUrl: string, authToken: string | undefined): Transport {
  const interceptors: Interceptor[] =
    authToken === undefined || authToken === ""
      ? []
      : [
          (next) => (req) => {
            req.header.set("authorization", `Bearer ${authToken}`);
            return next(req);
          },
        ];
  return createGrpcTransport({ baseUrl, interceptors });
}
