import type { AccessLevel } from "../auth/rpc-access.js";
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
  "WWW-Authenticate",
] as const;

const ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";

/** What {@link createCors} needs besides the allowed origins. */
export interface CorsOptions {
  /**
   * Whether `*` also grants writes: only when every write needs a bearer token (a foreign page
   * cannot know one), never by default.
   */
  readonly anyOriginMayWrite?: boolean;
}

/**
 * CORS for the HTTP port. `allowedOrigins` is a list of exact origins, and may hold `*`; empty
 * (the default) allows no foreign origin: only the service's own pages.
 *
 * A listed origin is granted every call. `*` grants any origin the calls of `level` `read` and
 * `open`, and writes only with `anyOriginMayWrite`. `apply` sets the CORS headers of a granted
 * request (none for a request without `Origin`, same-origin requests need none, or one not
 * granted — the browser then blocks it) and answers a preflight (`OPTIONS`) itself with 204,
 * returning `true` when the request is fully handled. `level` is that of the call the request
 * (or the preflight's) is for.
 *
 * `mayWrite` is the server's own check, since a browser sends some requests without a
 * preflight: a write may come from no `Origin` (not a browser page), a granted one, or the
 * service's own origin (`Sec-Fetch-Site: same-origin`, or the origin's host is the `Host`).
 */
export function createCors(allowedOrigins: readonly string[], options: CorsOptions = {}) {
  const any = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  const grant = (origin: string | undefined, level: AccessLevel): string | undefined => {
    if (origin === undefined) return undefined;
    if (allowed.has(origin)) return origin;
    return any && (level !== "write" || options.anyOriginMayWrite === true) ? "*" : undefined;
  };
  return {
    apply(req: NodeRequest, res: NodeResponse, level: AccessLevel = "read"): boolean {
      const origin = req.headers.origin;
      const granted = grant(origin, level);
      // Exact origins are echoed: the answer then depends on the Origin header.
      if (allowed.size > (any ? 1 : 0)) res.setHeader("Vary", "Origin");
      if (granted !== undefined) {
        res.setHeader("Access-Control-Allow-Origin", granted);
        res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(", "));
      }
      if (req.method !== "OPTIONS") return false;
      if (granted !== undefined) {
        res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        res.setHeader("Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS.join(", "));
        res.setHeader("Access-Control-Max-Age", "7200");
      }
      res.statusCode = 204;
      res.end();
      return true;
    },

    mayWrite(header: (name: string) => string | undefined): boolean {
      const origin = header("origin");
      if (origin === undefined || grant(origin, "write") !== undefined) return true;
      if (header("sec-fetch-site") === "same-origin") return true;
      const host = header("host");
      try {
        return host !== undefined && new URL(origin).host === host.toLowerCase();
      } catch {
        return false;
      }
    },
  };
}
