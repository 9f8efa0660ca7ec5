import createRouter from "find-my-way";
import type { AccessLevel } from "../auth/rpc-access.js";
import { HttpError } from "./http-error.js";
import type { NodeRequest, NodeResponse } from "./node-http.js";

/** What a REST handler receives. */
export interface RestContext {
  readonly req: NodeRequest;
  readonly res: NodeResponse;
  /** Path parameters of the route template (`/price/:asset` → `{asset}`), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Aborted when the client goes away or the server shuts down; long responses (SSE) end on it. */
  readonly signal: AbortSignal;
}

/**
 * A REST handler. The value it returns is sent as a 200 JSON body; a handler that writes the
 * response itself (Server-Sent Events, text) returns `undefined` after taking over `res`.
 * Throwing {@link HttpError} answers with its status and `{error:{code,message}}`.
 */
export type RestHandler = (context: RestContext) => unknown;

/** One route: an HTTP method, a path template in find-my-way syntax, and its handler. */
export interface RestRoute {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  readonly path: string;
  readonly handler: RestHandler;
  /**
   * What the route needs when tokens are configured (see `AccessLevel`); by default `read` for
   * GET (a safe method) and `write` for every other method.
   */
  readonly access?: AccessLevel;
}

/** A matched route: the handler, its template (the `route` metric label) and parameters. */
export interface RestMatch {
  readonly template: string;
  readonly handler: RestHandler;
  readonly params: Readonly<Record<string, string>>;
  readonly access: AccessLevel;
}

/**
 * Routes REST requests by method and path template (find-my-way, the router behind Fastify).
 * `HEAD` is served by the `GET` route.
 */
export class RestRouter {
  private readonly router = createRouter({ ignoreTrailingSlash: true, caseSensitive: true });
  private readonly templates = new Map<string, Set<string>>();

  constructor(routes: readonly RestRoute[] = []) {
    for (const route of routes) this.add(route);
  }

  /** Adds a route; a second route with the same method and template is a programming error. */
  add(route: RestRoute): void {
    const handler = route.handler;
    const access = route.access ?? (route.method === "GET" ? "read" : "write");
    const store = { template: route.path, handler, access };
    this.router.on(route.method, route.path, () => undefined, store);
    const methods = this.templates.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    this.templates.set(route.path, methods);
  }

  /**
   * Finds the route for `method` and `path` (without the query string). Returns `undefined` when
   * nothing matches, and `"method-not-allowed"` when the path exists for other methods only.
   */
  match(method: string, path: string): RestMatch | "method-not-allowed" | undefined {
    const lookup = method === "HEAD" ? "GET" : method;
    const found = this.router.find(lookup as "GET", path);
    if (found !== null) {
      const store = found.store as { template: string; handler: RestHandler; access: AccessLevel };
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(found.params)) {
        if (value !== undefined) params[key] = value;
      }
      return { template: store.template, handler: store.handler, params, access: store.access };
    }
    for (const other of ["GET", "POST", "PUT", "DELETE", "PATCH"] as const) {
      if (other !== lookup && this.router.find(other, path) !== null) return "method-not-allowed";
    }
    return undefined;
  }
}

/** Writes `body` as JSON with `status`; `HEAD` requests get the headers only. */
export function sendJson(req: NodeRequest, res: NodeResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.setHeader("Cache-Control", "no-store");
  if (req.method === "HEAD") res.end();
  else res.end(text);
}

/** Writes the error body `{error:{code,message}}` of docs/protocols.md#rest-error-body. */
export function sendError(req: NodeRequest, res: NodeResponse, error: HttpError): void {
  sendJson(req, res, error.status, { error: { code: error.code, message: error.message } });
}

export { HttpError };
