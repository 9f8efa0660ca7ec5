import type { Interceptor, StreamRequest, StreamResponse, UnaryRequest } from "@connectrpc/connect";
import { DEFAULT_HISTOGRAM_BUCKETS, type MetricsPort } from "@tse/metrics-port";
import { rpcAbortStatus, rpcErrorStatus } from "./rpc-status.js";

/** Counter of finished RPCs, labelled `method` and `status`. */
export const GRPC_SERVER_REQUESTS_TOTAL = "grpc_server_requests_total";
/** Histogram of RPC durations in seconds (until the last response message), labelled `method`. */
export const GRPC_SERVER_REQUEST_DURATION_SECONDS = "grpc_server_request_duration_seconds";
/** Gauge of RPCs being served, labelled `method`. */
export const GRPC_SERVER_REQUESTS_IN_FLIGHT = "grpc_server_requests_in_flight";
/** Counter of response messages handed to the transport by streaming RPCs, labelled `method`. */
export const GRPC_SERVER_STREAM_MESSAGES_SENT_TOTAL = "grpc_server_stream_messages_sent_total";

/** The `method` label of an RPC that is not a registered procedure. */
export const UNKNOWN_PROCEDURE = "unknown";

/** Options of {@link createRpcMetricsInterceptor}. */
export interface RpcMetricsInterceptorOptions {
  /**
   * The registered procedure paths (`/package.Service/Method`), or a function returning them
   * (read on every request, so it may be filled in after the interceptor is created). When
   * given, an RPC whose path is not in the set is recorded as `method="unknown"`. When
   * omitted, the procedure path is taken from the request's method descriptor (Connect calls
   * interceptors only for registered methods).
   */
  readonly knownProcedures?: ReadonlySet<string> | (() => ReadonlySet<string>);
  /** The clock, in milliseconds (default `performance.now`); only differences are used. */
  readonly now?: () => number;
}

/**
 * A Connect interceptor recording RPC metrics through any `MetricsPort`
 * (docs/operations.md#metrics), for unary and streaming methods alike:
 *
 * - `grpc_server_requests_in_flight{method}` goes up when the call starts and down when it
 *   ends;
 * - `grpc_server_requests_total{method,status}` and
 *   `grpc_server_request_duration_seconds{method}` are recorded when it ends;
 * - `grpc_server_stream_messages_sent_total{method}` counts every response message of a
 *   server- or bidi-streaming call as the transport takes it.
 *
 * A unary call ends when the handler returns or throws; a streaming call when its response
 * stream is exhausted, fails, is abandoned by the transport, or when the request's signal is
 * aborted (client cancel, deadline, shutdown), whichever comes first.
 *
 * `status` is `OK` or the upper-snake name of the Connect code (see `RPC_STATUS_NAMES`): a
 * thrown `ConnectError` gives its code; a call ended by an aborted request signal gives the
 * code of the abort reason if it is a `ConnectError` (e.g. `DEADLINE_EXCEEDED`), else
 * `CANCELED` (a client cancel); any other error gives `INTERNAL`, as the server answers.
 *
 * `method` is the procedure path of a registered method (see
 * {@link RpcMetricsInterceptorOptions.knownProcedures}), else `unknown`. Never throws on its
 * own account and never changes what the call returns or throws.
 */
export function createRpcMetricsInterceptor(
  metrics: MetricsPort,
  options: RpcMetricsInterceptorOptions = {},
): Interceptor {
  const now = options.now ?? (() => performance.now());
  const known = options.knownProcedures;
  metrics.describe(GRPC_SERVER_REQUESTS_TOTAL, "counter", {
    help: "RPCs served, by procedure and final status code.",
  });
  metrics.describe(GRPC_SERVER_REQUEST_DURATION_SECONDS, "histogram", {
    help: "Time to serve an RPC in seconds (to the end of its response stream), by procedure.",
    buckets: DEFAULT_HISTOGRAM_BUCKETS,
  });
  metrics.describe(GRPC_SERVER_REQUESTS_IN_FLIGHT, "gauge", {
    help: "RPCs being served, by procedure.",
  });
  metrics.describe(GRPC_SERVER_STREAM_MESSAGES_SENT_TOTAL, "counter", {
    help: "Response messages sent by streaming RPCs, by procedure.",
  });

  // One label object per procedure, shared by its calls: an open stream then holds no copy.
  const labelsByMethod = new Map<string, MethodLabels>();
  const labelsOf = (method: string): MethodLabels => {
    let labels = labelsByMethod.get(method);
    if (labels === undefined) {
      labels = Object.freeze({ method });
      labelsByMethod.set(method, labels);
    }
    return labels;
  };

  return (next) => async (req) => {
    const labels = labelsOf(procedureOf(req, typeof known === "function" ? known() : known));
    const call = new MeteredCall(metrics, labels, now, req.signal);
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req);
    } catch (error) {
      call.finish(rpcErrorStatus(error, req.signal));
      throw error;
    }
    if (!res.stream) {
      call.finish(call.statusOnCompletion());
      return res;
    }
    const instrumented: StreamResponse = { ...res, message: new MeteredStream(res.message, call) };
    return instrumented;
  };
}

type MethodLabels = Readonly<{ method: string }>;

/**
 * One RPC being measured: in flight from construction until {@link finish}, which records it
 * once. A class, like {@link MeteredStream}, so that the thousands of idle streams a server holds
 * share their methods instead of each carrying its own closures.
 */
class MeteredCall {
  #finished = false;
  readonly #started: number;

  constructor(
    private readonly metrics: MetricsPort,
    readonly labels: MethodLabels,
    private readonly now: () => number,
    readonly signal: AbortSignal,
  ) {
    this.#started = now();
    metrics.addGauge(GRPC_SERVER_REQUESTS_IN_FLIGHT, 1, labels);
  }

  /** Records the end of the call with `status`; later calls do nothing. */
  finish(status: string): void {
    if (this.#finished) return;
    this.#finished = true;
    const { metrics, labels } = this;
    metrics.addGauge(GRPC_SERVER_REQUESTS_IN_FLIGHT, -1, labels);
    metrics.incCounter(GRPC_SERVER_REQUESTS_TOTAL, { method: labels.method, status });
    const seconds = Math.max(0, this.now() - this.#started) / 1000;
    metrics.observeHistogram(GRPC_SERVER_REQUEST_DURATION_SECONDS, seconds, labels);
  }

  /** `OK`, or the status of the abort if the request's signal was aborted. */
  statusOnCompletion(): string {
    return this.signal.aborted ? rpcAbortStatus(this.signal) : "OK";
  }

  /** Counts one response message of a streaming call, unless the call already ended. */
  messageSent(): void {
    if (!this.#finished)
      this.metrics.incCounter(GRPC_SERVER_STREAM_MESSAGES_SENT_TOTAL, this.labels);
  }
}

/**
 * A response stream whose messages, end, failure and early stop (`return`/`throw` by the
 * consumer, or the request's signal aborting) finish its {@link MeteredCall}. Hand-written
 * rather than an async generator so that an early stop is seen even before the first `next()`;
 * it is its own iterator and its own abort listener (`handleEvent`).
 */
class MeteredStream<T> implements AsyncIterable<T>, AsyncIterator<T> {
  #iterator: AsyncIterator<T> | undefined;

  constructor(
    private readonly source: AsyncIterable<T>,
    private readonly call: MeteredCall,
  ) {
    if (call.signal.aborted) this.handleEvent();
    else call.signal.addEventListener("abort", this, { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this;
  }

  /** The request's signal aborted (client cancel, deadline, shutdown). */
  handleEvent(): void {
    this.call.finish(rpcAbortStatus(this.call.signal));
  }

  async next(): Promise<IteratorResult<T>> {
    let result: IteratorResult<T>;
    try {
      result = await this.#source().next();
    } catch (error) {
      this.#end(rpcErrorStatus(error, this.call.signal));
      throw error;
    }
    if (result.done === true) this.#end(this.call.statusOnCompletion());
    else this.call.messageSent();
    return result;
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    this.#end(rpcAbortStatus(this.call.signal));
    const iterator = this.#source();
    if (iterator.return === undefined) return { done: true, value: undefined };
    return iterator.return(value);
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    this.#end(rpcErrorStatus(error, this.call.signal));
    const iterator = this.#source();
    if (iterator.throw === undefined) throw error;
    return iterator.throw(error);
  }

  #source(): AsyncIterator<T> {
    this.#iterator ??= this.source[Symbol.asyncIterator]();
    return this.#iterator;
  }

  #end(status: string): void {
    this.call.signal.removeEventListener("abort", this);
    this.call.finish(status);
  }
}

/** The `/package.Service/Method` path of an RPC's URL (query stripped), or `undefined`. */
function procedurePathOfUrl(url: string): string | undefined {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  const methodSlash = path.lastIndexOf("/");
  if (methodSlash <= 0) return undefined;
  const serviceSlash = path.lastIndexOf("/", methodSlash - 1);
  if (serviceSlash < 0) return undefined;
  const procedure = path.slice(serviceSlash);
  return procedure.length > 2 ? procedure : undefined;
}

function procedureOf(
  req: UnaryRequest | StreamRequest,
  known: ReadonlySet<string> | undefined,
): string {
  const typeName: unknown = req.service?.typeName;
  const methodName: unknown = req.method?.name;
  const fromDescriptors =
    typeof typeName === "string" && typeof methodName === "string"
      ? `/${typeName}/${methodName}`
      : undefined;
  if (known === undefined) return fromDescriptors ?? UNKNOWN_PROCEDURE;
  const fromUrl = typeof req.url === "string" ? procedurePathOfUrl(req.url) : undefined;
  if (fromUrl !== undefined && known.has(fromUrl)) return fromUrl;
  if (fromDescriptors !== undefined && known.has(fromDescriptors)) return fromDescriptors;
  return UNKNOWN_PROCEDURE;
}
