import { setMaxListeners } from "node:events";
import type { DescFile, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, createConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { MetricsPort } from "@tse/metrics-port";
import { createHttpMetrics, createRpcMetricsInterceptor } from "@tse/prometheus-adapter";
import { ServerReflection as ReflectionV1 } from "@tse/proto/grpc/reflection/v1/reflection_pb";
import { ServerReflection as ReflectionV1alpha } from "@tse/proto/grpc/reflection/v1alpha/reflection_pb";
import type { Logger } from "pino";
import { AccessGuard, accessInterceptor } from "../auth/access-guard.js";
import type { AccessPolicy } from "../auth/access-policy.js";
import { type AccessLevel, accessByProcedure, type ServiceAccess } from "../auth/rpc-access.js";
import {
  Health,
  type HealthStatusRegistry,
  registerHealthService,
  ServingStatus,
} from "../grpc-health/index.js";
import { createCors } from "../http/cors.js";
import { type ConnectionLimits, DualProtocolServer } from "../http/dual-protocol-server.js";
import { HttpError } from "../http/http-error.js";
import type { NodeHandler, NodeRequest, NodeResponse } from "../http/node-http.js";
import { type RestRoute, RestRouter, sendError, sendJson } from "../http/rest-router.js";
import type { Readiness } from "../readiness/readiness.js";
import { REFLECTION_SERVICE_NAMES, registerReflection } from "../reflection/index.js";
import { boundErrorMessages } from "./bounded-error-messages.js";
import { commonRoutes, type ServiceInfo } from "./common-routes.js";

/** How long shutdown waits between announcing NOT_SERVING and ending streams. */
const NOT_SERVING_PROPAGATION_MS = 50;

/** Everything a {@link ServiceServer} serves. */
export interface ServiceServerOptions {
  readonly info: ServiceInfo;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  /** Registers the service's RPC implementations (connect-es services). */
  readonly routes: (router: ConnectRouter) => void;
  /** The service's REST routes; the common health/ready/metrics routes are added to them. */
  readonly rest?: readonly RestRoute[];
  readonly readiness: Readiness;
  readonly health: HealthStatusRegistry;
  readonly corsAllowedOrigins: readonly string[];
  /**
   * Which of the service's RPCs read and which write. Every registered RPC must be classified
   * (health and reflection are the kit's): the constructor throws `UnclassifiedRpcError` else.
   */
  readonly rpcAccess?: readonly ServiceAccess[];
  /** The bearer tokens and whether reads need one; no tokens (unprotected) when absent. */
  readonly accessPolicy?: AccessPolicy;
  /** The largest RPC message or request body accepted. */
  readonly maxRequestBytes: number;
  /** Timeouts and cap of client connections, on each port (defaults when absent). */
  readonly connectionLimits?: ConnectionLimits;
  /**
   * Aborted by {@link ServiceServer.shutdown}; pass one in when work created before the server
   * (the composition of the service) must also stop on shutdown.
   */
  readonly shutdownController?: AbortController;
}

/** Where a started {@link ServiceServer} listens. */
export interface ListeningPorts {
  readonly http: number;
  readonly grpc: number;
}

/**
 * The network face of a service (docs/protocols.md#ports): the HTTP port (REST, SSE, metrics and
 * every RPC over Connect, gRPC-Web and gRPC on HTTP/1.1 and h2c) and the gRPC port (the same RPCs
 * on h2c), with CORS, HTTP and RPC metrics, `grpc.health.v1` and server reflection. Every call
 * passes the {@link AccessGuard} at its level: an RPC's from `rpcAccess`, a REST route's its own.
 *
 * {@link shutdown} drains it: health NOT_SERVING and readiness 503 at once, no new
 * connections, streams told to end (their handler signal aborts), then connections closed
 * gracefully and, at the deadline, forcibly.
 */
export class ServiceServer {
  private readonly httpServer: DualProtocolServer;
  private readonly grpcServer: DualProtocolServer;
  private readonly shutdownController: AbortController;
  private readonly accessLevels: ReadonlyMap<string, AccessLevel>;
  private readonly cors: ReturnType<typeof createCors>;
  private readonly guard: AccessGuard;
  /** Full names of every registered service, health and reflection included. */
  readonly serviceNames: readonly string[];
  /** Procedure paths (`/pkg.Service/Method`) of every registered RPC. */
  readonly procedures: ReadonlySet<string>;

  constructor(private readonly options: ServiceServerOptions) {
    this.shutdownController = options.shutdownController ?? new AbortController();
    // Every request in flight (each open stream) listens to this signal: thousands are normal,
    // not the listener leak Node's default limit of 10 warns about.
    setMaxListeners(0, this.shutdownController.signal);
    const { services, files } = collectServices(options.routes);
    const listed = [...services.map((service) => service.typeName), Health.typeName];
    this.serviceNames = [...listed, ...REFLECTION_SERVICE_NAMES];
    const schema = [...files, Health.file, ReflectionV1.file, ReflectionV1alpha.file];
    const routes = (router: ConnectRouter) => {
      options.routes(router);
      registerHealthService(router, options.health);
      registerReflection(router, { files: schema, serviceNames: listed });
    };
    const probe = createConnectRouter();
    routes(probe);
    this.procedures = new Set(probe.handlers.map((handler) => handler.requestPath));
    this.accessLevels = accessByProcedure(this.procedures, options.rpcAccess ?? []);
    const policy = options.accessPolicy ?? { tokens: [], protectReads: false };
    this.cors = createCors(options.corsAllowedOrigins, {
      anyOriginMayWrite: policy.tokens.length > 0,
    });
    this.guard = new AccessGuard(policy, {
      realm: options.info.service,
      originMayWrite: (header) => this.cors.mayWrite(header),
    });

    const connectHandler = connectNodeAdapter({
      routes,
      interceptors: [
        createRpcMetricsInterceptor(options.metrics, { knownProcedures: this.procedures }),
        boundErrorMessages(),
        accessInterceptor(this.guard, this.accessLevels),
      ],
      readMaxBytes: options.maxRequestBytes,
      shutdownSignal: this.shutdownController.signal,
    });
    const rest = new RestRouter([...commonRoutes(options), ...(options.rest ?? [])]);
    const limits =
      options.connectionLimits === undefined ? {} : { limits: options.connectionLimits };
    this.httpServer = new DualProtocolServer(this.httpHandler(connectHandler, rest), limits);
    this.grpcServer = new DualProtocolServer((req, res) => {
      if (this.procedures.has(pathOf(req))) connectHandler(req, res);
      else sendError(req, res, HttpError.notFound(`no RPC at ${pathOf(req)}`));
    }, limits);
  }

  /** Aborted when shutdown begins; long-running work (SSE, streams, timers) ends on it. */
  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal;
  }

  /** Binds both ports (0 = any free port) and marks every service SERVING. */
  async listen(host: string, ports: ListeningPorts): Promise<ListeningPorts> {
    const http = await this.httpServer.listen(ports.http, host);
    let grpc: number;
    try {
      grpc = await this.grpcServer.listen(ports.grpc, host);
    } catch (error) {
      await this.httpServer.stopAccepting();
      throw error;
    }
    this.options.health.set("", ServingStatus.SERVING);
    this.options.health.set(this.options.info.service, ServingStatus.SERVING);
    for (const name of this.serviceNames) this.options.health.set(name, ServingStatus.SERVING);
    return { http, grpc };
  }

  /**
   * Drains and closes the server within `timeoutMs`. Resolves `true` when every connection
   * ended on its own before the deadline, `false` when some had to be cut.
   */
  async shutdown(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.options.health.setAll(ServingStatus.NOT_SERVING);
    this.options.readiness.markShuttingDown();
    const servers = [this.httpServer, this.grpcServer];
    const closed = Promise.all(servers.map((server) => server.stopAccepting()));
    // Let health watchers send NOT_SERVING before their streams are told to end.
    await new Promise((resolve) => setTimeout(resolve, NOT_SERVING_PROPAGATION_MS));
    this.shutdownController.abort(new ConnectError("server is shutting down", Code.Unavailable));
    // Streams need a moment to send their last message and trailers before GOAWAY.
    while (Date.now() < deadline) {
      for (const server of servers) server.closeConnections(false);
      if (servers.every((server) => server.openConnections === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const clean = servers.every((server) => server.openConnections === 0);
    if (!clean) for (const server of servers) server.closeConnections(true);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    return clean;
  }

  private httpHandler(connectHandler: NodeHandler, rest: RestRouter): NodeHandler {
    const httpMetrics = createHttpMetrics(this.options.metrics);
    return (req, res) => {
      const timer = httpMetrics.begin(req.method ?? "GET");
      const path = pathOf(req);
      const isRpc = this.procedures.has(path);
      // A preflight is for the method it names: its answer depends on that call's access level.
      const method =
        req.method === "OPTIONS"
          ? (headerOf(req, "access-control-request-method") ?? "GET")
          : (req.method ?? "GET");
      const match = isRpc ? undefined : rest.match(method, path);
      const route = isRpc ? path : typeof match === "object" ? match.template : undefined;
      res.once("close", () => timer.end(route, res.statusCode));
      const level = isRpc
        ? (this.accessLevels.get(path) ?? "write")
        : typeof match === "object"
          ? match.access
          : "read";
      if (this.cors.apply(req, res, level)) return;
      if (isRpc) {
        connectHandler(req, res);
        return;
      }
      if (match === undefined) {
        sendError(req, res, HttpError.notFound(`no route for ${req.method} ${path}`));
        return;
      }
      if (match === "method-not-allowed") {
        sendError(
          req,
          res,
          new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${path}`),
        );
        return;
      }
      const refusal = this.guard.check(match.access, (name) => headerOf(req, name));
      if (refusal !== undefined) {
        if (refusal.challenge !== undefined) res.setHeader("WWW-Authenticate", refusal.challenge);
        sendError(req, res, new HttpError(refusal.status, refusal.errorCode, refusal.message));
        return;
      }
      void this.runRest(req, res, match.handler, match.params);
    };
  }

  private async runRest(
    req: NodeRequest,
    res: NodeResponse,
    handler: RestRoute["handler"],
    params: Readonly<Record<string, string>>,
  ): Promise<void> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    res.once("close", abort);
    this.shutdownSignal.addEventListener("abort", abort, { once: true });
    try {
      const query = new URL(req.url ?? "/", "http://localhost").searchParams;
      const result = await handler({ req, res, params, query, signal: controller.signal });
      if (res.headersSent || res.writableEnded) return;
      if (result === undefined) {
        res.statusCode = 204;
        res.end();
      } else {
        sendJson(req, res, 200, result);
      }
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (error instanceof HttpError) {
        sendError(req, res, error);
        return;
      }
      this.options.logger.error({ err: error, path: pathOf(req) }, "REST handler failed");
      sendError(req, res, new HttpError(500, "internal", "internal error"));
    } finally {
      this.shutdownSignal.removeEventListener("abort", abort);
    }
  }
}

function pathOf(req: NodeRequest): string {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** One request header by its lower-case name (the first, when repeated). */
function headerOf(req: NodeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The services an app registers, and the files that declare them (for reflection). */
function collectServices(routes: (router: ConnectRouter) => void): {
  services: DescService[];
  files: DescFile[];
} {
  const probe = createConnectRouter();
  routes(probe);
  const services = new Map<string, DescService>();
  for (const handler of probe.handlers) services.set(handler.service.typeName, handler.service);
  const files = new Set<DescFile>([...services.values()].map((service) => service.file));
  return { services: [...services.values()], files: [...files] };
}
