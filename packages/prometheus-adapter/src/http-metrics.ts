import { DEFAULT_HISTOGRAM_BUCKETS, type MetricsPort } from "@tse/metrics-port";

/** Counter of finished HTTP requests, labelled `method`, `route`, `code`. */
export const HTTP_REQUESTS_TOTAL = "http_requests_total";
/** Histogram of HTTP request durations in seconds, labelled `method`, `route`. */
export const HTTP_REQUEST_DURATION_SECONDS = "http_request_duration_seconds";
/** Counter of finished HTTP requests with a status ≥ 400, labelled `method`, `route`, `code`. */
export const HTTP_REQUEST_ERRORS_TOTAL = "http_request_errors_total";
/** Gauge of HTTP requests being served, labelled `method`. */
export const HTTP_REQUESTS_IN_FLIGHT = "http_requests_in_flight";

/** The `route` label of a request that matched no route template. */
export const UNKNOWN_ROUTE = "unknown";

const STANDARD_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "CONNECT",
  "OPTIONS",
  "TRACE",
  "PATCH",
]);

/** Options of {@link createHttpMetrics}. */
export interface HttpMetricsOptions {
  /** The clock, in milliseconds (default `performance.now`); only differences are used. */
  readonly now?: () => number;
}

/** One HTTP request being measured; see {@link HttpMetrics.begin}. */
export interface HttpRequestTimer {
  /**
   * Ends the measurement: counts the request in `http_requests_total{method,route,code}` (and
   * in `http_request_errors_total{method,route,code}` when `statusCode` ≥ 400), observes its
   * duration in `http_request_duration_seconds{method,route}`, and decrements
   * `http_requests_in_flight{method}`.
   *
   * `route` must be the route TEMPLATE that matched (e.g. `/api/v1/market/price/:asset`),
   * never the raw path; `undefined` or `""` records `unknown`. A `statusCode` that is not an
   * integer from 100 to 599 records `code="unknown"` and no error. Only the first call
   * counts: later calls do nothing, so it is safe to call from both `finish` and `close`.
   */
  end(route: string | undefined, statusCode: number): void;
}

/** HTTP RED (rate, errors, duration) instrumentation; see {@link createHttpMetrics}. */
export interface HttpMetrics {
  /**
   * Starts measuring one request: increments `http_requests_in_flight{method}` at once. The
   * `method` is upper-cased; anything but GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS,
   * TRACE and PATCH is recorded as `OTHER`.
   */
  begin(method: string): HttpRequestTimer;
}

/**
 * The upper-case standard HTTP method, or `OTHER` for anything else (so that a client cannot
 * create series with invented methods).
 */
export function normalizeHttpMethod(method: string | undefined): string {
  const upper = typeof method === "string" ? method.toUpperCase() : "";
  return STANDARD_METHODS.has(upper) ? upper : "OTHER";
}

/**
 * HTTP RED metrics recorded through any `MetricsPort` (docs/operations.md#metrics), framework-free:
 * a server calls {@link HttpMetrics.begin} when a request arrives and `end(routeTemplate, status)`
 * when the response is done. Describes the four metrics (help texts; duration buckets 5 ms … 10 s)
 * on `metrics` at once.
 */
export function createHttpMetrics(
  metrics: MetricsPort,
  options: HttpMetricsOptions = {},
): HttpMetrics {
  const now = options.now ?? (() => performance.now());
  metrics.describe(HTTP_REQUESTS_TOTAL, "counter", {
    help: "HTTP requests served, by method, route template and status code.",
  });
  metrics.describe(HTTP_REQUEST_DURATION_SECONDS, "histogram", {
    help: "Time to serve an HTTP request in seconds, by method and route template.",
    buckets: DEFAULT_HISTOGRAM_BUCKETS,
  });
  metrics.describe(HTTP_REQUEST_ERRORS_TOTAL, "counter", {
    help: "HTTP requests answered with a status of 400 or more, by method, route template and status code.",
  });
  metrics.describe(HTTP_REQUESTS_IN_FLIGHT, "gauge", {
    help: "HTTP requests being served, by method.",
  });
  return {
    begin(rawMethod: string): HttpRequestTimer {
      const method = normalizeHttpMethod(rawMethod);
      const started = now();
      let ended = false;
      metrics.addGauge(HTTP_REQUESTS_IN_FLIGHT, 1, { method });
      return {
        end(rawRoute: string | undefined, statusCode: number): void {
          if (ended) return;
          ended = true;
          const route =
            typeof rawRoute === "string" && rawRoute.length > 0 ? rawRoute : UNKNOWN_ROUTE;
          const validStatus =
            Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599;
          const code = validStatus ? String(statusCode) : "unknown";
          metrics.addGauge(HTTP_REQUESTS_IN_FLIGHT, -1, { method });
          metrics.incCounter(HTTP_REQUESTS_TOTAL, { method, route, code });
          if (validStatus && statusCode >= 400) {
            metrics.incCounter(HTTP_REQUEST_ERRORS_TOTAL, { method, route, code });
          }
          const seconds = Math.max(0, now() - started) / 1000;
          metrics.observeHistogram(HTTP_REQUEST_DURATION_SECONDS, seconds, { method, route });
        },
      };
    },
  };
}
