import { messageOf } from "@tse/error-text";
import {
  bucketProblems,
  type ConstantLabels,
  constantMetricLabels,
  DEFAULT_HISTOGRAM_BUCKETS,
  METRIC_NAME_PATTERN,
  type MetricDescription,
  MetricDescriptions,
  type MetricKind,
  type MetricLabels,
  type MetricSchema,
  type MetricsExposition,
  type MetricsPort,
  SchemaGuard,
} from "@tse/metrics-port";
import { Counter, Gauge, Histogram, Registry, type RegistryContentType } from "prom-client";
import { prefersOpenMetrics } from "./content-negotiation.js";
import { registerRuntimeMetrics } from "./runtime-metrics.js";

export type { ConstantLabels } from "@tse/metrics-port";

/** Options of {@link createPrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Added to every series, runtime metrics included. */
  readonly constantLabels: ConstantLabels;
  /**
   * Whether to register the Node.js runtime metrics (default `true`), minus the gauges that
   * `promtool check metrics` rejects; see `registerRuntimeMetrics`.
   */
  readonly defaultMetrics?: boolean;
  /**
   * Bucket upper bounds for histograms not described with their own (default
   * `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]`).
   */
  readonly buckets?: readonly number[];
  /**
   * Prepended to the name of every metric of this instance in the exposition, runtime metrics
   * included (default none). Callers keep using unprefixed names, and errors name them so.
   */
  readonly prefix?: string;
}

type PromMetric = Counter<string> | Gauge<string> | Histogram<string>;

/**
 * Creates a {@link PrometheusMetrics}. Throws a `TypeError` when the options are invalid
 * (missing or empty `service`/`instance`/`version`, invalid label names, invalid buckets or
 * prefix): a configuration error stops start-up.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  return new PrometheusMetrics(options);
}

/**
 * `MetricsPort` on prom-client 15.
 *
 * - Every instance owns a private `Registry`; prom-client's global registry is never touched,
 *   so two instances share no series.
 * - The constant labels are the registry's default labels and appear on every series.
 * - A metric is created on its first admitted use, with the label names of that use (checked by
 *   the shared `SchemaGuard`); recording mistakes are reported in {@link PrometheusMetrics.errors}
 *   and never thrown, whatever prom-client would do.
 * - {@link PrometheusMetrics.exposition} answers in the Prometheus text format 0.0.4, or in
 *   OpenMetrics 1.0.0 when the `Accept` header prefers it.
 */
export class PrometheusMetrics implements MetricsPort {
  /** The validated constant labels, sorted by name. */
  readonly constantLabels: MetricLabels;
  readonly #registry: Registry<RegistryContentType>;
  readonly #guard: SchemaGuard;
  readonly #prefix: string;
  readonly #buckets: readonly number[];
  readonly #metrics = new Map<string, PromMetric>();
  readonly #failed = new Set<string>();
  readonly #descriptions = new MetricDescriptions();
  #renderQueue: Promise<unknown> = Promise.resolve();

  /** Prefer {@link createPrometheusMetrics}; same contract. */
  constructor(options: PrometheusMetricsOptions) {
    this.constantLabels = constantMetricLabels(options.constantLabels);
    const prefix = options.prefix ?? "";
    if (prefix !== "" && (!METRIC_NAME_PATTERN.test(prefix) || prefix.startsWith("__"))) {
      throw new TypeError(
        `metric name prefix "${prefix}" must match ${METRIC_NAME_PATTERN.source}`,
      );
    }
    this.#prefix = prefix;
    const buckets = options.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
    const [bucketProblem] = bucketProblems(buckets);
    if (bucketProblem !== undefined) throw new TypeError(bucketProblem);
    this.#buckets = [...buckets];
    this.#guard = new SchemaGuard({ constantLabelNames: Object.keys(this.constantLabels) });
    this.#registry = new Registry<RegistryContentType>();
    this.#registry.setDefaultLabels({ ...this.constantLabels });
    if (options.defaultMetrics ?? true) registerRuntimeMetrics(this.#registry, prefix);
  }

  /** See `MetricsPort.incCounter`. */
  incCounter(name: string, labels?: MetricLabels, value = 1): void {
    const metric = this.#resolve("counter", name, labels, value);
    if (metric instanceof Counter) this.#apply(name, () => metric.inc({ ...labels }, value));
  }

  /** See `MetricsPort.observeHistogram`. */
  observeHistogram(name: string, value: number, labels?: MetricLabels): void {
    const metric = this.#resolve("histogram", name, labels, value);
    if (metric instanceof Histogram) this.#apply(name, () => metric.observe({ ...labels }, value));
  }

  /** See `MetricsPort.setGauge`. */
  setGauge(name: string, value: number, labels?: MetricLabels): void {
    const metric = this.#resolve("gauge", name, labels, value);
    if (metric instanceof Gauge) this.#apply(name, () => metric.set({ ...labels }, value));
  }

  /** See `MetricsPort.addGauge`. */
  addGauge(name: string, delta: number, labels?: MetricLabels): void {
    const metric = this.#resolve("gauge", name, labels, delta);
    if (metric instanceof Gauge) this.#apply(name, () => metric.inc({ ...labels }, delta));
  }

  /**
   * See `MetricsPort.describe`. The help text and buckets are used when the metric is created;
   * invalid buckets are reported and replaced by the default buckets.
   */
  describe(name: string, kind: MetricKind, description: MetricDescription): void {
    this.#descriptions.describe(this.#guard, name, kind, description, this.#metrics.has(name));
  }

  /**
   * Renders every metric of the private registry: OpenMetrics 1.0.0 when `accept` (the
   * request's `Accept` header) prefers it (see `prefersOpenMetrics`), else the Prometheus text
   * format 0.0.4. Renders run one at a time, so an OpenMetrics render (for which prom-client
   * temporarily renames counters) never leaks into a concurrent text render. Rejects only when
   * a metric's collect function fails; the failure is also reported in {@link errors}.
   */
  exposition(accept?: string): Promise<MetricsExposition> {
    const openMetrics = prefersOpenMetrics(accept);
    const render = this.#renderQueue.then(() => this.#render(openMetrics));
    this.#renderQueue = render.catch(() => undefined);
    return render;
  }

  /** See `MetricsPort.errors`. */
  errors(): readonly string[] {
    return this.#guard.errors();
  }

  async #render(openMetrics: boolean): Promise<MetricsExposition> {
    const registry = this.#registry;
    try {
      if (!openMetrics) {
        return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: await registry.metrics() };
      }
      // prom-client strips `_total` from counter names in place while rendering OpenMetrics
      // (the family name of a counter has no suffix there): put the names back afterwards.
      const names = registry.getMetricsAsArray().map((metric) => [metric, metric.name] as const);
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      try {
        return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: await registry.metrics() };
      } finally {
        for (const [metric, name] of names) metric.name = name;
        registry.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
      }
    } catch (error) {
      this.#guard.report(`metrics exposition failed: ${messageOf(error)}`);
      throw error;
    }
  }

  #resolve(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
    value: number,
  ): PromMetric | undefined {
    const schema = this.#guard.admit(kind, name, labels, value);
    if (schema === undefined) return undefined;
    return this.#metrics.get(name) ?? this.#create(schema);
  }

  #create(schema: MetricSchema): PromMetric | undefined {
    if (this.#failed.has(schema.name)) return undefined;
    const description = this.#descriptions.get(schema.name);
    const help = description?.help || `${schema.kind} ${schema.name}`;
    const configuration = {
      name: this.#prefix + schema.name,
      help,
      labelNames: [...schema.labelNames],
      registers: [this.#registry],
    };
    try {
      let metric: PromMetric;
      if (schema.kind === "counter") metric = new Counter(configuration);
      else if (schema.kind === "gauge") metric = new Gauge(configuration);
      else {
        const buckets = [...(description?.buckets ?? this.#buckets)];
        metric = new Histogram({ ...configuration, buckets });
      }
      this.#metrics.set(schema.name, metric);
      return metric;
    } catch (error) {
      this.#failed.add(schema.name);
      this.#guard.report(
        `${schema.kind} "${schema.name}" could not be created: ${messageOf(error)}`,
      );
      return undefined;
    }
  }

  #apply(name: string, record: () => void): void {
    try {
      record();
    } catch (error) {
      this.#guard.report(`recording "${name}" failed: ${messageOf(error)}`);
    }
  }
}
