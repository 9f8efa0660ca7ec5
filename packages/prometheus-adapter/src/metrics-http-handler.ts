import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { MetricsPort } from "@tse/metrics-port";

/** A request of Node's `http` or `http2` (compatibility API) server. */
export type MetricsHttpRequest = IncomingMessage | Http2ServerRequest;
/** A response of Node's `http` or `http2` (compatibility API) server. */
export type MetricsHttpResponse = ServerResponse | Http2ServerResponse;

/** A framework-free request handler; see {@link metricsHttpHandler}. */
export type MetricsHttpHandler = (
  req: MetricsHttpRequest,
  res: MetricsHttpResponse,
) => Promise<void>;

/**
 * A `/metrics` handler for Node's `http` and `http2` servers, independent of any framework.
 * It does not look at the path: mount it where it belongs.
 *
 * - `GET`: 200 with the exposition of `metrics` for the request's `Accept` header
 *   (OpenMetrics when it asks for it), its `Content-Type`, `Content-Length`,
 *   `Cache-Control: no-store` and `Vary: Accept`.
 * - `HEAD`: the same status and headers, no body.
 * - Any other method: 405 with `Allow: GET, HEAD`.
 * - A failed exposition: 500 with a one-line plain-text body.
 *
 * The returned promise resolves once the response is ended; it never rejects.
 */
export function metricsHttpHandler(metrics: Pick<MetricsPort, "exposition">): MetricsHttpHandler {
  return async (req, res) => {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      send(
        res,
        405,
        { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" },
        "method not allowed\n",
        true,
      );
      return;
    }
    const accept = req.headers.accept;
    let status = 200;
    let contentType: string;
    let body: string;
    try {
      const exposition = await metrics.exposition(typeof accept === "string" ? accept : undefined);
      contentType = exposition.contentType;
      body = exposition.body;
    } catch {
      status = 500;
      contentType = "text/plain; charset=utf-8";
      body = "metrics exposition failed\n";
    }
    const headers = { "content-type": contentType, "cache-control": "no-store", vary: "Accept" };
    send(res, status, headers, body, method === "GET");
  };
}

function send(
  res: MetricsHttpResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
  withBody: boolean,
): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  if (withBody) res.end(body);
  else res.end();
}
