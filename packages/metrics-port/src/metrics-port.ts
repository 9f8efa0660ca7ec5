/**
 * Label values of one observation, keyed by label name. Values must come from a small,
 * bounded set (a route template, a status code name, a symbol) — never ids, timestamps or
 * raw paths, which would create an unbounded number of series.
 */
export type MetricLabels = Readonly<Record<string, string>>;

/** The kinds of metric a {@link MetricsPort} records. */
export type MetricKind = "counter" | "gauge" | "histogram";

/**
 * Optional metadata for a metric name. An adapter uses it when it first creates the metric;
 * without it the adapter derives a help text from the name and uses its default buckets.
 */
export interface MetricDescription {
  /** One line saying what the metric counts or measures. */
  readonly help: string;
  /** Histogram bucket upper bounds, ascending (seconds for durations). */
  readonly buckets?: readonly number[];
}

/**
 * The rendered metrics of a process, ready to be written as an HTTP response body.
 */
export interface MetricsExposition {
  /** The `Content-Type` of `body` (Prometheus text 0.0.4 or OpenMetrics 1.0.0). */
  readonly contentType: string;
  readonly body: string;
}

/**
 * The domain-side metrics interface. Domain and application code record through it and never
 * import a metrics library; the composition root picks the implementation (Prometheus, a
 * no-op, or the in-memory recorder in tests).
 *
 * Contract for every implementation:
 * - A metric is created on its first use, and the label names of that first use are fixed for
 *   the metric name. A later call with other label names, or the same name used as another
 *   kind, is reported (see {@link MetricsPort.errors}) and dropped: recording never throws,
 *   so a metrics mistake can never fail a request.
 * - Constant labels (service, instance, version) are added by the implementation; callers pass
 *   only the per-observation labels.
 * - Non-finite values, negative counter increments, invalid label sets, a per-call label named
 *   like a constant label, and metric names that break the Prometheus conventions (a counter
 *   ends in `_total`, nothing else does; see `metricNameProblems`) are dropped and reported,
 *   like label mismatches.
 */
export interface MetricsPort {
  /** Adds `value` (default 1, must be ≥ 0) to the counter `name`. */
  incCounter(name: string, labels?: MetricLabels, value?: number): void;
  /** Records one observation of `value` in the histogram `name`. */
  observeHistogram(name: string, value: number, labels?: MetricLabels): void;
  /** Sets the gauge `name` to `value`. */
  setGauge(name: string, value: number, labels?: MetricLabels): void;
  /** Adds `delta` (which may be negative) to the gauge `name`, e.g. for in-flight requests. */
  addGauge(name: string, delta: number, labels?: MetricLabels): void;
  /**
   * Gives a metric its help text and (for histograms) buckets before its first use, and fixes
   * its kind. Calling it after the metric exists, or twice, changes nothing (a different kind
   * is reported as a conflict).
   */
  describe(name: string, kind: MetricKind, description: MetricDescription): void;
  /**
   * Renders every metric. `accept` is the request's `Accept` header: an implementation that
   * supports OpenMetrics answers in it when asked (`application/openmetrics-text`), otherwise
   * in the Prometheus text format.
   */
  exposition(accept?: string): Promise<MetricsExposition>;
  /**
   * The recording mistakes seen so far (label-name mismatch, kind conflict, invalid value), one
   * message per distinct mistake, oldest first. Lets a service log them and tests assert them.
   */
  errors(): readonly string[];
}
