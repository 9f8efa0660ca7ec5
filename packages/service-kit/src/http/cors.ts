import type { NodeRequest, NodeResponse } from "./node-http.js";

/** Request headers a browser may send: Connect, gRPC-Web and the ecosystem's client headers. */
export const CORS_ALLOWED_HEADERS = [
  "Content-Type",
  "Connect-Protocol-Version",
  "Connect-Timeout-Ms",
  "Connect-Accept-Encoding",
  "Connect-Content-Encoding",
  "Grpc-Timeout",
  "X-Grpc-Web",
  "X-User-Agent",
  "X-Client",
  "X-Client-Version",
  "Authorization",
  "Accept",
  "Last-Event-ID",
] as const;

/** Response headers a browser script may read: the gRPC / Connect status headers. */
export const CORS_EXPOSED_HEADERS = [
  "Grpc-Status",
  "Grpc-Message",
  "Grpc-Status-Details-Bin",
  "Connect-Protocol-Version",
  "Content-Encoding",
  "Connect-Content-Encoding",
] as const;

const ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";

/**
 * CORS for the HTTP port. `allowedOrigins` is a list of exact origins, or `["*"]` for any.
 *
 * `apply` sets the CORS headers of an allowed origin (none for a request without `Origin` or
 * from an origin not in the list — the browser then blocks it) and answers a preflight
 * (`OPTIONS`) itself with 204, returning `true` when the request is fully handled.
 */
export function createCors(allowedOrigins: readonly string[]) {
  const any = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  return {
    apply(req: NodeRequest, res: NodeResponse): boolean {
      const origin = req.headers.origin;
      if (typeof origin === "string" && (any || allowed.has(origin))) {
        res.setHeader("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) res.setHeader("Vary", "Origin");
        res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(", "));
      }
      if (req.method !== "OPTIONS") return false;
      if (typeof origin === "string" && (any || allowed.has(origin))) {
        res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        res.setHeader("Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS.join(", "));
        res.setHeader("Access-Control-Max-Age", "7200");
      }
      res.statusCode = 204;
      res.end();
      return true;
    },
  };
}
