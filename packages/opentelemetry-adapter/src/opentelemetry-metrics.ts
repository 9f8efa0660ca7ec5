import type { Attributes, Counter, Histogram, Meter } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { messageOf } from "@tse/error-text";
import {
  bucketProblems,
  type ConstantLabels,
  constantMetricLabels,
  DEFAULT_HISTOGRAM_BUCKETS,
  type MetricDescription,
  MetricDescriptions,
  type MetricKind,
  type MetricLabels,
  type MetricSchema,
  type MetricsExposition,
  type MetricsPort,
  PROMETHEUS_TEXT_CONTENT_TYPE,
  SchemaGuard,
} from "@tse/metrics-port";
import { PullMetricReader } from "./pull-metric-reader.js";
import { ReportingMetricExporter } from "./reporting-metric-exporter.js";
import { RUNTIME_METRIC_NAMES, registerRuntimeMetrics } from "./runtime-metrics.js";

/** Where and how often {@link OpenTelemetryMetrics} pushes OTLP/HTTP (JSON). */
export interface OtlpPushOptions {
  /**
   * The full OTLP/HTTP metrics URL, e.g. `http://collector:4318/v1/metrics` (see
   * `otlpMetricsUrl` to derive it from `OTEL_EXPORTER_OTLP_ENDPOINT`).
   */
  readonly url: string;
  /** Time between two pushes in milliseconds (default 60 000). */
  readonly exportIntervalMillis?: number;
  /** Time one push may take in milliseconds (default 30 000, at most the interval). */
  readonly exportTimeoutMillis?: number;
  /** Extra HTTP headers of every push (e.g. an authorization header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link createOpenTelemetryMetrics}. */
export interface OpenTelemetryMetricsOptions {
  /** Added to every series, runtime metrics included; also the OTLP resource's service. */
  readonly constantLabels: ConstantLabels;
  /**
   * Whether to register the Node.js runtime metrics (default `true`); see
   * `registerRuntimeMetrics`.
   */
  readonly defaultMetrics?: boolean;
  /**
   * Bucket upper bounds in seconds for histograms not described with their own (default
   * `DEFAULT_HISTOGRAM_BUCKETS`, 5 ms … 10 s).
   */
  readonly buckets?: readonly number[];
  /** Also push every metric over OTLP/HTTP (default: no push, `/metrics` only). */
  readonly otlp?: OtlpPushOptions;
  /**
   * The most series (label sets) one metric keeps per reader (default 2 000, the SDK's
   * default). Past it the SDK folds new series into one `otel_metric_overflow="true"` series.
   */
  readonly cardinalityLimit?: number;
}

/** The OpenTelemetry instrument name rule (case-insensitive); stricter than Prometheus'. */
const OTEL_INSTRUMENT_NAME = /^[a-z][a-z0-9_.\-/]{0,254}$/i;
const DEFAULT_CARDINALITY_LIMIT = 2000;
const DEFAULT_EXPORT_INTERVAL_MS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;
const METER_NAME = "@tse/opentelemetry-adapter";
/** What the serializer writes when there is nothing to expose. */
const NO_REGISTERED_METRICS = "# no registered metrics";

interface GaugeSeries {
  readonly attributes: Attributes;
  value: number;
}

type Instrument =
  | { readonly kind: "counter"; readonly counter: Counter }
  | { readonly kind: "histogram"; readonly histogram: Histogram }
  | {
      readonly kind: "gauge";
      readonly labelNames: readonly string[];
      readonly series: Map<string, GaugeSeries>;
    };

/**
 * Creates an {@link OpenTelemetryMetrics}. Throws a `TypeError` when the options are invalid
 * (missing or empty `service`/`instance`/`version`, invalid label names, invalid buckets, an
 * OTLP URL that is not http(s), a non-positive interval, timeout or cardinality limit): a
 * configuration error stops start-up.
 */
export function createOpenTelemetryMetrics(
  options: OpenTelemetryMetricsOptions,
): OpenTelemetryMetrics {
  return new OpenTelemetryMetrics(options);
}

/**
 * `MetricsPort` on the OpenTelemetry metrics SDK (`@opentelemetry/sdk-metrics` 2.x).
 *
 * - Every instance owns a private `MeterProvider` (the global OpenTelemetry API is never
 *   touched) with a pull reader for `/metrics` and, when {@link OpenTelemetryMetricsOptions.otlp}
 *   is given, a periodic OTLP/HTTP push reader; both are cumulative.
 * - Counters are OpenTelemetry counters; histograms use explicit bucket boundaries in seconds
 *   (the described buckets, else the default ones); gauges are observable gauges over values
 *   kept here, so `setGauge` and `addGauge` both work on one gauge.
 * - The constant labels are attributes of every series (so they reach Prometheus text and OTLP
 *   alike); the OTLP resource also carries `service.name`, `service.instance.id` and
 *   `service.version`.
 * - Recording follows the shared `SchemaGuard`, like the Prometheus adapter: mistakes are
 *   reported in {@link OpenTelemetryMetrics.errors} and never thrown. Two more refusals come
 *   from OpenTelemetry itself: a negative histogram observation, and a name OpenTelemetry does
 *   not accept as an instrument name (leading `_` or a `:`); a failed OTLP push is reported too.
 * - {@link OpenTelemetryMetrics.exposition} renders the Prometheus text format 0.0.4 (without
 *   `target_info` and scope labels) whatever the `Accept` header: this adapter does not speak
 *   OpenMetrics.
 *
 * Call {@link OpenTelemetryMetrics.shutdown} when the process stops: it pushes a last time
 * and stops the readers.
 */
export class OpenTelemetryMetrics implements MetricsPort {
  /** The validated constant labels, sorted by name. */
  readonly constantLabels: MetricLabels;
  readonly #guard: SchemaGuard;
  readonly #buckets: readonly number[];
  readonly #provider: MeterProvider;
  readonly #meter: Meter;
  readonly #reader: PullMetricReader;
  readonly #serializer = new PrometheusSerializer(undefined, false, undefined, true, true);
  readonly #instruments = new Map<string, Instrument>();
  readonly #descriptions = new MetricDescriptions();
  readonly #failed = new Set<string>();
  /** Instrument names in lower case: OpenTelemetry compares them case-insensitively. */
  readonly #takenNames = new Set<string>();
  readonly #stopRuntimeMetrics: () => void;
  #shutdown: Promise<void> | undefined;

  /** Prefer {@link createOpenTelemetryMetrics}; same contract. */
  constructor(options: OpenTelemetryMetricsOptions) {
    this.constantLabels = constantMetricLabels(options.constantLabels);
    const buckets = options.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
    const [bucketProblem] = bucketProblems(buckets);
    if (bucketProblem !== undefined) throw new TypeError(bucketProblem);
    this.#buckets = [...buckets];
    const cardinalityLimit = options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
    if (!Number.isInteger(cardinalityLimit) || cardinalityLimit < 1) {
      throw new TypeError("the cardinality limit must be a positive integer");
    }
    this.#guard = new SchemaGuard({ constantLabelNames: Object.keys(this.constantLabels) });

    this.#reader = new PullMetricReader(cardinalityLimit);
    const readers: IMetricReader[] = [this.#reader];
    if (options.otlp !== undefined) {
      readers.push(this.#pushReader(options.otlp, cardinalityLimit));
    }
    this.#provider = new MeterProvider({
      resource: defaultResource().merge(
        resourceFromAttributes({
          "service.name": this.constantLabels.service ?? "",
          "service.instance.id": this.constantLabels.instance ?? "",
          "service.version": this.constantLabels.version ?? "",
        }),
      ),
      readers,
    });
    this.#meter = this.#provider.getMeter(METER_NAME);
    if (options.defaultMetrics ?? true) {
      for (const name of RUNTIME_METRIC_NAMES) this.#takenNames.add(name.toLowerCase());
      this.#stopRuntimeMetrics = registerRuntimeMetrics(this.#meter, this.constantLabels);
    } else {
      this.#stopRuntimeMetrics = () => undefined;
    }
  }

  /** See `MetricsPort.incCounter`. */
  incCounter(name: string, labels?: MetricLabels, value = 1): void {
    const instrument = this.#resolve("counter", name, labels, value);
    if (instrument?.kind !== "counter") return;
    this.#apply(name, () => instrument.counter.add(value, this.#attributes(labels)));
  }

  /**
   * See `MetricsPort.observeHistogram`. A negative value is reported and dropped: OpenTelemetry
   * histograms (whose sum must only grow) take none.
   */
  observeHistogram(name: string, value: number, labels?: MetricLabels): void {
    const instrument = this.#resolve("histogram", name, labels, value);
    if (instrument?.kind !== "histogram") return;
    if (value < 0) {
      this.#guard.report(
        `histogram "${name}": OpenTelemetry histograms take no negative values; the call was dropped`,
      );
      return;
    }
    this.#apply(name, () => instrument.histogram.record(value, this.#attributes(labels)));
  }

  /** See `MetricsPort.setGauge`. */
  setGauge(name: string, value: number, labels?: MetricLabels): void {
    const instrument = this.#resolve("gauge", name, labels, value);
    if (instrument?.kind === "gauge") this.#gaugeSeries(instrument, labels).value = value;
  }

  /** See `MetricsPort.addGauge`. */
  addGauge(name: string, delta: number, labels?: MetricLabels): void {
    const instrument = this.#resolve("gauge", name, labels, delta);
    if (instrument?.kind === "gauge") this.#gaugeSeries(instrument, labels).value += delta;
  }

  /**
   * See `MetricsPort.describe`. The help text and buckets are used when the instrument is
   * created; invalid buckets are reported and replaced by the default buckets.
   */
  describe(name: string, kind: MetricKind, description: MetricDescription): void {
    this.#descriptions.describe(this.#guard, name, kind, description, this.#instruments.has(name));
  }

  /**
   * Collects every metric from the SDK and renders it in the Prometheus text format 0.0.4
   * (`accept` is ignored: no OpenMetrics). The body is empty when nothing was recorded.
   * Rejects when the collection fails (e.g. after {@link shutdown}); the failure is also
   * reported in {@link errors}, like errors of single instruments during collection.
   */
  async exposition(_accept?: string): Promise<MetricsExposition> {
    let collected: Awaited<ReturnType<PullMetricReader["collect"]>>;
    try {
      collected = await this.#reader.collect();
    } catch (error) {
      this.#guard.report(`metrics exposition failed: ${messageOf(error)}`);
      throw error;
    }
    for (const error of collected.errors) {
      this.#guard.report(`metrics collection failed: ${messageOf(error)}`);
    }
    const body = this.#serializer.serialize(collected.resourceMetrics);
    return {
      contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
      body: body.trim() === NO_REGISTERED_METRICS ? "" : body,
    };
  }

  /** See `MetricsPort.errors`; also lists failed collections and OTLP pushes. */
  errors(): readonly string[] {
    return this.#guard.errors();
  }

  /** Pushes over OTLP now (resolves at once without OTLP). Never rejects: failures are reported. */
  async forceFlush(): Promise<void> {
    try {
      await this.#provider.forceFlush();
    } catch (error) {
      this.#guard.report(`metrics flush failed: ${messageOf(error)}`);
    }
  }

  /**
   * Pushes a last time over OTLP, stops the readers and the event loop monitor. Idempotent;
   * never rejects (failures are reported). The exposition fails afterwards.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#stopRuntimeMetrics();
      try {
        await this.#provider.shutdown();
      } catch (error) {
        this.#guard.report(`metrics shutdown failed: ${messageOf(error)}`);
      }
    })();
    return this.#shutdown;
  }

  #pushReader(otlp: OtlpPushOptions, cardinalityLimit: number): PeriodicExportingMetricReader {
    let url: URL | undefined;
    try {
      url = new URL(otlp.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new TypeError("the OTLP metrics URL must be an http:// or https:// URL");
    }
    const interval = otlp.exportIntervalMillis ?? DEFAULT_EXPORT_INTERVAL_MS;
    const timeout = otlp.exportTimeoutMillis ?? Math.min(DEFAULT_EXPORT_TIMEOUT_MS, interval);
    if (!Number.isInteger(interval) || interval < 1) {
      throw new TypeError("the OTLP export interval must be a positive integer of milliseconds");
    }
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > interval) {
      throw new TypeError(
        "the OTLP export timeout must be a positive integer of milliseconds, at most the interval",
      );
    }
    const exporter = new OTLPMetricExporter({
      url: otlp.url,
      timeoutMillis: timeout,
      ...(otlp.headers === undefined ? {} : { headers: { ...otlp.headers } }),
    });
    return new PeriodicExportingMetricReader({
      exporter: new ReportingMetricExporter(exporter, (message) => this.#guard.report(message)),
      exportIntervalMillis: interval,
      exportTimeoutMillis: timeout,
      cardinalityLimits: { default: cardinalityLimit },
    });
  }

  #resolve(
    kind: MetricKind,
    name: string,
    labels: MetricLabels | undefined,
    value: number,
  ): Instrument | undefined {
    const schema = this.#guard.admit(kind, name, labels, value);
    if (schema === undefined) return undefined;
    return this.#instruments.get(name) ?? this.#create(schema);
  }

  #create(schema: MetricSchema): Instrument | undefined {
    const { name, kind } = schema;
    if (this.#failed.has(name)) return undefined;
    const problem = !OTEL_INSTRUMENT_NAME.test(name)
      ? `OpenTelemetry instrument names must match ${OTEL_INSTRUMENT_NAME.source} (case-insensitive)`
      : this.#takenNames.has(name.toLowerCase())
        ? "the name is taken (OpenTelemetry compares instrument names case-insensitively)"
        : undefined;
    if (problem !== undefined) {
      this.#failed.add(name);
      this.#guard.report(`${kind} "${name}" could not be created: ${problem}`);
      return undefined;
    }
    const description = this.#descriptions.get(name);
    const options = { description: description?.help || `${kind} ${name}` };
    let instrument: Instrument;
    try {
      if (kind === "counter") {
        instrument = { kind, counter: this.#meter.createCounter(name, options) };
      } else if (kind === "histogram") {
        const boundaries = [...(description?.buckets ?? this.#buckets)];
        const advice = { explicitBucketBoundaries: boundaries };
        instrument = { kind, histogram: this.#meter.createHistogram(name, { ...options, advice }) };
      } else {
        const series = new Map<string, GaugeSeries>();
        const gauge = this.#meter.createObservableGauge(name, options);
        gauge.addCallback((result) => {
          for (const entry of series.values()) result.observe(entry.value, entry.attributes);
        });
        instrument = { kind, labelNames: schema.labelNames, series };
      }
    } catch (error) {
      this.#failed.add(name);
      this.#guard.report(`${kind} "${name}" could not be created: ${messageOf(error)}`);
      return undefined;
    }
    this.#takenNames.add(name.toLowerCase());
    this.#instruments.set(name, instrument);
    return instrument;
  }

  #gaugeSeries(
    instrument: Extract<Instrument, { kind: "gauge" }>,
    labels: MetricLabels | undefined,
  ): GaugeSeries {
    const values = instrument.labelNames.map((labelName) => labels?.[labelName] ?? "");
    const key = JSON.stringify(values);
    let series = instrument.series.get(key);
    if (series === undefined) {
      const attributes: Record<string, string> = {};
      instrument.labelNames.forEach((labelName, index) => {
        attributes[labelName] = values[index] ?? "";
      });
      series = { attributes: { ...attributes, ...this.constantLabels }, value: 0 };
      instrument.series.set(key, series);
    }
    return series;
  }

  /** The per-call labels followed by the constant labels. */
  #attributes(labels: MetricLabels | undefined): Attributes {
    return labels === undefined ? this.constantLabels : { ...labels, ...this.constantLabels };
  }

  #apply(name: string, record: () => void): void {
    try {
      record();
    } catch (error) {
      this.#guard.report(`recording "${name}" failed: ${messageOf(error)}`);
    }
  }
}
