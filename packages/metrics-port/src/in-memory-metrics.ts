import {
  escapeHelp,
  formatLabelSet,
  formatSampleValue,
  PROMETHEUS_TEXT_CONTENT_TYPE,
} from "./exposition-format.js";
import { bucketProblems, DEFAULT_HISTOGRAM_BUCKETS } from "./histogram-buckets.js";
import { MetricDescriptions } from "./metric-descriptions.js";
import { labelsMatch, metricLabels } from "./metric-labels.js";
import type {
  MetricDescription,
  MetricKind,
  MetricLabels,
  MetricsExposition,
  MetricsPort,
} from "./metrics-port.js";
import { SchemaGuard } from "./schema-guard.js";

/** The `MetricsPort` method of a {@link RecordedCall}. */
export type RecordedOperation = "incCounter" | "observeHistogram" | "setGauge" | "addGauge";

/** One recording call made on an {@link InMemoryMetrics}. */
export interface RecordedCall {
  readonly operation: RecordedOperation;
  readonly name: string;
  /** The value passed (the increment of `incCounter`, 1 when omitted). */
  readonly value: number;
  /** A copy of the per-call labels (`{}` when none were passed). */
  readonly labels: MetricLabels;
  /** Whether the schema guard admitted the call; a refused call changed no value. */
  readonly accepted: boolean;
}

/** The current state of one series (one label set) of a metric. */
export interface RecordedSeries {
  /** The per-call labels of the series (constant labels excluded). */
  readonly labels: MetricLabels;
  /** Counter total, gauge value, or histogram sum. */
  readonly value: number;
  /** Histogram observations in the order they were made (empty for counters and gauges). */
  readonly observations: readonly number[];
}

/** Options of {@link InMemoryMetrics}. */
export interface InMemoryMetricsOptions {
  /** Labels added to every series of the exposition (default none); validated at construction. */
  readonly constantLabels?: MetricLabels;
  /** Buckets of histograms not described with their own (default `DEFAULT_HISTOGRAM_BUCKETS`). */
  readonly buckets?: readonly number[];
}

interface SeriesState {
  readonly labels: MetricLabels;
  value: number;
  readonly observations: number[];
}

interface MetricState {
  readonly kind: MetricKind;
  readonly series: Map<string, SeriesState>;
}

/**
 * A `MetricsPort` that keeps everything in memory, for tests of domain and application code.
 * It enforces the same {@link SchemaGuard} as the Prometheus adapter, so a label mismatch or a
 * misnamed metric shows up in {@link InMemoryMetrics.errors} in a unit test rather than in
 * production. Query helpers read back what was recorded; {@link InMemoryMetrics.exposition}
 * renders the Prometheus text format.
 */
export class InMemoryMetrics implements MetricsPort {
  private guard: SchemaGuard;
  private readonly constantLabels: MetricLabels;
  private readonly defaultBuckets: readonly number[];
  private readonly metrics = new Map<string, MetricState>();
  private readonly descriptions = new MetricDescriptions();
  private readonly recorded: RecordedCall[] = [];

  /** Throws a `TypeError` when the constant labels or buckets of `options` are invalid. */
  constructor(options: InMemoryMetricsOptions = {}) {
    this.constantLabels = metricLabels(options.constantLabels ?? {});
    const buckets = options.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
    const [problem] = bucketProblems(buckets);
    if (problem !== undefined) throw new TypeError(problem);
    this.defaultBuckets = [...buckets];
    this.guard = new SchemaGuard({ constantLabelNames: Object.keys(this.constantLabels) });
  }

  /** Adds `value` (default 1) to the counter; see `MetricsPort.incCounter`. */
  incCounter(name: string, labels?: MetricLabels, value = 1): void {
    const series = this.admit("incCounter", "counter", name, labels, value);
    if (series !== undefined) series.value += value;
  }

  /** Records one observation; see `MetricsPort.observeHistogram`. */
  observeHistogram(name: string, value: number, labels?: MetricLabels): void {
    const series = this.admit("observeHistogram", "histogram", name, labels, value);
    if (series === undefined) return;
    series.value += value;
    series.observations.push(value);
  }

  /** Sets the gauge; see `MetricsPort.setGauge`. */
  setGauge(name: string, value: number, labels?: MetricLabels): void {
    const series = this.admit("setGauge", "gauge", name, labels, value);
    if (series !== undefined) series.value = value;
  }

  /** Adds `delta` to the gauge; see `MetricsPort.addGauge`. */
  addGauge(name: string, delta: number, labels?: MetricLabels): void {
    const series = this.admit("addGauge", "gauge", name, labels, delta);
    if (series !== undefined) series.value += delta;
  }

  /**
   * Keeps the help text and buckets of `name` for the exposition; see `MetricsPort.describe`.
   * Invalid buckets are reported and the default buckets used instead.
   */
  describe(name: string, kind: MetricKind, description: MetricDescription): void {
    this.descriptions.describe(this.guard, name, kind, description, this.metrics.has(name));
  }

  /** Every recording call so far, refused ones included, oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  /**
   * The sum of the counter `name` over every series whose labels include `labels` (every
   * series when omitted); 0 when nothing matches.
   */
  counter(name: string, labels?: MetricLabels): number {
    return this.sum("counter", name, labels) ?? 0;
  }

  /**
   * The value of the gauge `name` summed over every series whose labels include `labels`
   * (with the full label set: the value of that one series); `undefined` when no series
   * matches.
   */
  gauge(name: string, labels?: MetricLabels): number | undefined {
    return this.sum("gauge", name, labels);
  }

  /**
   * The observations of the histogram `name` in every series whose labels include `labels`,
   * series by series in order of creation, each in recording order; empty when nothing matches.
   */
  histogram(name: string, labels?: MetricLabels): number[] {
    const observations: number[] = [];
    for (const series of this.matching("histogram", name, labels)) {
      observations.push(...series.observations);
    }
    return observations;
  }

  /** The series of the metric `name` (any kind), in order of creation; empty when unknown. */
  series(name: string): RecordedSeries[] {
    const metric = this.metrics.get(name);
    if (metric === undefined) return [];
    return [...metric.series.values()].map((series) => ({
      labels: series.labels,
      value: series.value,
      observations: [...series.observations],
    }));
  }

  /** Forgets every value, call, description, schema and error. */
  reset(): void {
    this.metrics.clear();
    this.descriptions.clear();
    this.recorded.length = 0;
    this.guard = new SchemaGuard({ constantLabelNames: Object.keys(this.constantLabels) });
  }

  /**
   * Renders every metric with at least one series in the Prometheus text format 0.0.4, in
   * order of first use, with the constant labels after the per-call labels of each series.
   * `accept` is ignored: this implementation does not speak OpenMetrics.
   */
  async exposition(_accept?: string): Promise<MetricsExposition> {
    const lines: string[] = [];
    for (const [name, metric] of this.metrics) {
      if (metric.series.size === 0) continue;
      const help = this.descriptions.get(name)?.help ?? `${metric.kind} ${name}`;
      lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${metric.kind}`);
      for (const series of metric.series.values()) {
        const labels = { ...series.labels, ...this.constantLabels };
        if (metric.kind !== "histogram") {
          lines.push(`${name}${formatLabelSet(labels)} ${formatSampleValue(series.value)}`);
          continue;
        }
        const buckets = this.descriptions.get(name)?.buckets ?? this.defaultBuckets;
        for (const bound of buckets) {
          const count = series.observations.filter((observation) => observation <= bound).length;
          const bucketLabels = {
            ...series.labels,
            le: formatSampleValue(bound),
            ...this.constantLabels,
          };
          lines.push(`${name}_bucket${formatLabelSet(bucketLabels)} ${count}`);
        }
        const infLabels = { ...series.labels, le: "+Inf", ...this.constantLabels };
        lines.push(`${name}_bucket${formatLabelSet(infLabels)} ${series.observations.length}`);
        lines.push(`${name}_sum${formatLabelSet(labels)} ${formatSampleValue(series.value)}`);
        lines.push(`${name}_count${formatLabelSet(labels)} ${series.observations.length}`);
      }
    }
    return {
      contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
      body: lines.length === 0 ? "" : `${lines.join("\n")}\n`,
    };
  }

  /** The distinct recording errors so far, oldest first; see `MetricsPort.errors`. */
  errors(): readonly string[] {
    return this.guard.errors();
  }

  private admit(
    operation: RecordedOperation,
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
    value: number,
  ): SeriesState | undefined {
    const schema = this.guard.admit(kind, name, labels, value);
    this.recorded.push({
      operation,
      name,
      value,
      labels: Object.freeze({ ...labels }),
      accepted: schema !== undefined,
    });
    if (schema === undefined) return undefined;
    let metric = this.metrics.get(name);
    if (metric === undefined) {
      metric = { kind, series: new Map() };
      this.metrics.set(name, metric);
    }
    const key = JSON.stringify(schema.labelNames.map((labelName) => labels?.[labelName] ?? ""));
    let series = metric.series.get(key);
    if (series === undefined) {
      const sorted: Record<string, string> = {};
      for (const labelName of schema.labelNames) sorted[labelName] = labels?.[labelName] ?? "";
      series = { labels: Object.freeze(sorted), value: 0, observations: [] };
      metric.series.set(key, series);
    }
    return series;
  }

  private sum(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
  ): number | undefined {
    let total: number | undefined;
    for (const series of this.matching(kind, name, labels)) total = (total ?? 0) + series.value;
    return total;
  }

  private matching(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
  ): SeriesState[] {
    const metric = this.metrics.get(name);
    if (metric === undefined || metric.kind !== kind) return [];
    return [...metric.series.values()].filter((series) => labelsMatch(series.labels, labels));
  }
}
