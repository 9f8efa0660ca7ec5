import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConstantLabels } from "../constant-labels.js";
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE } from "../exposition-format.js";
import { DEFAULT_HISTOGRAM_BUCKETS } from "../histogram-buckets.js";
import type { MetricsPort } from "../metrics-port.js";
import {
  bucketBounds,
  familyHelp,
  familyTypes,
  findSamples,
  parseSamples,
  sampleValue,
} from "./exposition-samples.js";

/** What a {@link describeMetricsPortContract} factory gets. */
export interface MetricsPortContractContext {
  /** The constant labels the implementation must put on every series it exposes. */
  readonly constantLabels: ConstantLabels;
}

/** Options of {@link describeMetricsPortContract}. */
export interface MetricsPortContractOptions {
  /** Called after each test with the instance the factory returned (e.g. to shut it down). */
  readonly dispose?: (metrics: MetricsPort) => void | Promise<void>;
}

/** The constant labels every instance under test is created with. */
export const CONTRACT_CONSTANT_LABELS: ConstantLabels = Object.freeze({
  service: "contract-service",
  instance: "contract-instance-01",
  version: "9.8.7",
});

/** The text format `le` of every default bucket bound, then `+Inf`. */
const DEFAULT_BOUNDS = [...DEFAULT_HISTOGRAM_BUCKETS.map(String), "+Inf"];

/**
 * The behaviour every {@link MetricsPort} implementation must have, asserted only through the
 * port and its Prometheus text exposition (so the same suite runs against prom-client, the
 * OpenTelemetry SDK and the in-memory recorder). `create` is called before each test with the
 * constant labels to use and must return a fresh instance with the default histogram buckets
 * (`DEFAULT_HISTOGRAM_BUCKETS`); it may register runtime metrics, as long as they carry the
 * constant labels too.
 *
 * Covered: counter values and label sets, histograms in seconds (default and described
 * buckets, cumulative bucket counts, sum, count), gauges set and added, constant labels on
 * every series, help texts, label-value escaping, and the mistakes that are reported through
 * `errors()` and dropped without throwing (label-set mismatch, kind conflict, non-finite
 * values, negative increments, unconventional names, invalid or reserved labels, invalid
 * buckets).
 */
export function describeMetricsPortContract(
  name: string,
  create: (context: MetricsPortContractContext) => MetricsPort | Promise<MetricsPort>,
  options: MetricsPortContractOptions = {},
): void {
  describe(`MetricsPort contract: ${name}`, () => {
    let metrics: MetricsPort;
    beforeEach(async () => {
      metrics = await create({ constantLabels: CONTRACT_CONSTANT_LABELS });
    });
    afterEach(async () => {
      await options.dispose?.(metrics);
    });

    /** The Prometheus text exposition (no `Accept` header), its content type checked. */
    const render = async (): Promise<string> => {
      const exposition = await metrics.exposition();
      expect(exposition.contentType).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
      return exposition.body;
    };

    it("counts per label set, whatever the order of the label names", async () => {
      metrics.incCounter("contract_orders_total", { side: "buy", status: "new" });
      metrics.incCounter("contract_orders_total", { side: "buy", status: "new" }, 2);
      metrics.incCounter("contract_orders_total", { status: "new", side: "buy" }, 0.5);
      metrics.incCounter("contract_orders_total", { side: "sell", status: "new" }, 4);
      metrics.incCounter("contract_ticks_total");
      metrics.incCounter("contract_ticks_total");
      metrics.incCounter("contract_idle_total", undefined, 0);

      const body = await render();
      expect(metrics.errors()).toEqual([]);
      const buy = { side: "buy", status: "new" };
      expect(sampleValue(body, "contract_orders_total", buy)).toBe(3.5);
      expect(sampleValue(body, "contract_orders_total", { side: "sell", status: "new" })).toBe(4);
      expect(findSamples(body, "contract_orders_total")).toHaveLength(2);
      expect(sampleValue(body, "contract_ticks_total")).toBe(2);
      expect(sampleValue(body, "contract_idle_total")).toBe(0);
      const types = familyTypes(body);
      expect(types.get("contract_orders_total")).toBe("counter");
      expect(types.get("contract_ticks_total")).toBe("counter");
    });

    it("observes histograms in seconds with the default buckets 5 ms … 10 s", async () => {
      const a = { op: "a" };
      for (const seconds of [0.003, 0.005, 0.2, 42]) {
        metrics.observeHistogram("contract_latency_seconds", seconds, a);
      }
      metrics.observeHistogram("contract_latency_seconds", 1, { op: "b" });

      const body = await render();
      expect(metrics.errors()).toEqual([]);
      expect(familyTypes(body).get("contract_latency_seconds")).toBe("histogram");
      expect(bucketBounds(body, "contract_latency_seconds", a)).toEqual(DEFAULT_BOUNDS);
      expect(bucketBounds(body, "contract_latency_seconds", { op: "b" })).toEqual(DEFAULT_BOUNDS);
      const bucket = (labels: Record<string, string>, le: string) =>
        sampleValue(body, "contract_latency_seconds_bucket", { ...labels, le });
      // Buckets are cumulative and a bound includes a value equal to it.
      expect(bucket(a, "0.005")).toBe(2);
      expect(bucket(a, "0.01")).toBe(2);
      expect(bucket(a, "0.1")).toBe(2);
      expect(bucket(a, "0.25")).toBe(3);
      expect(bucket(a, "10")).toBe(3);
      expect(bucket(a, "+Inf")).toBe(4);
      expect(sampleValue(body, "contract_latency_seconds_count", a)).toBe(4);
      expect(sampleValue(body, "contract_latency_seconds_sum", a)).toBeCloseTo(42.208, 9);
      expect(bucket({ op: "b" }, "0.5")).toBe(0);
      expect(bucket({ op: "b" }, "1")).toBe(1);
      expect(sampleValue(body, "contract_latency_seconds_count", { op: "b" })).toBe(1);
      expect(sampleValue(body, "contract_latency_seconds_sum", { op: "b" })).toBe(1);
    });

    it("uses the buckets and help texts given by describe", async () => {
      metrics.describe("contract_risk_check_seconds", "histogram", {
        help: "Risk check latency.\nIn seconds \\ wall clock.",
        buckets: [0.001, 0.01, 0.1],
      });
      metrics.describe("contract_fills_total", "counter", { help: "Fills." });
      metrics.describe("contract_exposure", "gauge", { help: "Exposure." });
      metrics.observeHistogram("contract_risk_check_seconds", 0.0005);
      metrics.observeHistogram("contract_risk_check_seconds", 0.05);
      metrics.incCounter("contract_fills_total");
      metrics.setGauge("contract_exposure", 2);
      metrics.observeHistogram("contract_undescribed_seconds", 0.5);

      const body = await render();
      expect(metrics.errors()).toEqual([]);
      expect(bucketBounds(body, "contract_risk_check_seconds")).toEqual([
        "0.001",
        "0.01",
        "0.1",
        "+Inf",
      ]);
      const bucket = (le: string) =>
        sampleValue(body, "contract_risk_check_seconds_bucket", { le });
      expect([bucket("0.001"), bucket("0.01"), bucket("0.1"), bucket("+Inf")]).toEqual([
        1, 1, 2, 2,
      ]);
      const help = familyHelp(body);
      expect(help.get("contract_risk_check_seconds")).toBe(
        "Risk check latency.\\nIn seconds \\\\ wall clock.",
      );
      expect(help.get("contract_fills_total")).toBe("Fills.");
      expect(help.get("contract_exposure")).toBe("Exposure.");
      // Without a description there is still a help line, derived from the name.
      expect(help.get("contract_undescribed_seconds")).toContain("contract_undescribed_seconds");
    });

    it("keeps the first description and creates no series from describe alone", async () => {
      metrics.describe("contract_jobs_total", "counter", { help: "First." });
      metrics.incCounter("contract_jobs_total");
      metrics.describe("contract_jobs_total", "counter", { help: "Second." });
      metrics.describe("contract_unused_total", "counter", { help: "Never used." });

      const body = await render();
      expect(metrics.errors()).toEqual([]);
      expect(familyHelp(body).get("contract_jobs_total")).toBe("First.");
      expect(findSamples(body, "contract_unused_total")).toEqual([]);
    });

    it("sets and adds gauges, negative values included", async () => {
      const mm = { strategy: "mm" };
      metrics.setGauge("contract_open_positions", 3, mm);
      metrics.addGauge("contract_open_positions", 2, mm);
      metrics.addGauge("contract_open_positions", -7, mm);
      metrics.setGauge("contract_open_positions", 1.5, { strategy: "mr" });
      metrics.addGauge("contract_in_flight", 1, { method: "GET" });
      metrics.addGauge("contract_in_flight", 1, { method: "GET" });
      metrics.addGauge("contract_in_flight", -1, { method: "GET" });
      metrics.setGauge("contract_in_flight", 10, { method: "POST" });
      metrics.addGauge("contract_in_flight", -1, { method: "POST" });
      metrics.addGauge("contract_in_flight", 1, { method: "PUT" });
      metrics.addGauge("contract_in_flight", -1, { method: "PUT" });
      metrics.setGauge("contract_breaker_open", 1);
      metrics.setGauge("contract_breaker_open", 0);

      const body = await render();
      expect(metrics.errors()).toEqual([]);
      expect(sampleValue(body, "contract_open_positions", mm)).toBe(-2);
      expect(sampleValue(body, "contract_open_positions", { strategy: "mr" })).toBe(1.5);
      expect(sampleValue(body, "contract_in_flight", { method: "GET" })).toBe(1);
      expect(sampleValue(body, "contract_in_flight", { method: "POST" })).toBe(9);
      expect(sampleValue(body, "contract_in_flight", { method: "PUT" })).toBe(0);
      expect(sampleValue(body, "contract_breaker_open")).toBe(0);
      expect(familyTypes(body).get("contract_open_positions")).toBe("gauge");
      expect(familyTypes(body).get("contract_in_flight")).toBe("gauge");
    });

    it("puts the constant labels on every series", async () => {
      metrics.incCounter("contract_orders_total", { side: "buy" });
      metrics.incCounter("contract_ticks_total");
      metrics.observeHistogram("contract_latency_seconds", 0.1, { op: "a" });
      metrics.observeHistogram("contract_decision_seconds", 0.1);
      metrics.setGauge("contract_open_positions", 1, { strategy: "mm" });
      metrics.setGauge("contract_breaker_open", 0);

      const samples = parseSamples(await render());
      const recorded = samples.filter((sample) => sample.name.startsWith("contract_"));
      // 2 counters, 2 gauges, 2 histograms × (12 buckets + sum + count).
      expect(recorded).toHaveLength(2 + 2 + 2 * 14);
      for (const sample of samples) {
        expect(sample.labels, sample.name).toMatchObject({ ...CONTRACT_CONSTANT_LABELS });
      }
    });

    it("escapes label values and keeps them exact", async () => {
      const awkward = 'a "quoted" \\ back\nslash';
      metrics.incCounter("contract_escapes_total", { note: awkward });
      metrics.incCounter("contract_escapes_total", { note: "" });
      const body = await render();
      expect(sampleValue(body, "contract_escapes_total", { note: awkward })).toBe(1);
      expect(sampleValue(body, "contract_escapes_total", { note: "" })).toBe(1);
      expect(body.split("\n").some((line) => line.includes("back\\nslash"))).toBe(true);
    });

    it("reports a label-set mismatch without throwing and drops the call", async () => {
      metrics.incCounter("contract_orders_total", { side: "buy" });
      expect(() =>
        metrics.incCounter("contract_orders_total", { side: "buy", extra: "x" }),
      ).not.toThrow();
      expect(() => metrics.incCounter("contract_orders_total")).not.toThrow();
      metrics.observeHistogram("contract_latency_seconds", 0.1, { op: "a" });
      expect(() => metrics.observeHistogram("contract_latency_seconds", 0.1)).not.toThrow();
      metrics.setGauge("contract_open_positions", 1, { strategy: "mm" });
      expect(() =>
        metrics.addGauge("contract_open_positions", 1, { strategy: "mm", venue: "paper" }),
      ).not.toThrow();

      expect(metrics.errors()).toEqual([
        'counter "contract_orders_total" has label names [side]; a call with [extra, side] was dropped',
        'counter "contract_orders_total" has label names [side]; a call with [] was dropped',
        'histogram "contract_latency_seconds" has label names [op]; a call with [] was dropped',
        'gauge "contract_open_positions" has label names [strategy]; a call with [strategy, venue] was dropped',
      ]);
      const body = await render();
      expect(findSamples(body, "contract_orders_total")).toHaveLength(1);
      expect(sampleValue(body, "contract_orders_total", { side: "buy" })).toBe(1);
      expect(findSamples(body, "contract_orders_total", { extra: "x" })).toEqual([]);
      expect(sampleValue(body, "contract_latency_seconds_count")).toBe(1);
      expect(sampleValue(body, "contract_open_positions")).toBe(1);
    });

    it("reports kind conflicts without throwing and keeps the first kind", async () => {
      metrics.incCounter("contract_jobs_total");
      expect(() => metrics.setGauge("contract_jobs_total", 5)).not.toThrow();
      metrics.describe("contract_queue_depth", "gauge", { help: "Queue depth." });
      expect(() => metrics.observeHistogram("contract_queue_depth", 1)).not.toThrow();
      metrics.setGauge("contract_queue_depth", 3);
      metrics.observeHistogram("contract_wait_seconds", 0.5);
      expect(() =>
        metrics.describe("contract_wait_seconds", "counter", { help: "Wrong." }),
      ).not.toThrow();

      expect(metrics.errors()).toEqual([
        'metric "contract_jobs_total" is a counter; using it as a gauge was refused',
        'metric "contract_queue_depth" is a gauge; using it as a histogram was refused',
        'metric "contract_wait_seconds" is a histogram; using it as a counter was refused',
      ]);
      const body = await render();
      const types = familyTypes(body);
      expect(types.get("contract_jobs_total")).toBe("counter");
      expect(sampleValue(body, "contract_jobs_total")).toBe(1);
      expect(types.get("contract_queue_depth")).toBe("gauge");
      expect(sampleValue(body, "contract_queue_depth")).toBe(3);
      expect(findSamples(body, "contract_queue_depth_count")).toEqual([]);
      expect(types.get("contract_wait_seconds")).toBe("histogram");
    });

    it("refuses non-finite values and negative counter increments", async () => {
      metrics.incCounter("contract_fills_total", undefined, 2);
      metrics.setGauge("contract_pnl", -3);
      metrics.observeHistogram("contract_latency_seconds", 0.5);
      expect(() => {
        metrics.incCounter("contract_fills_total", undefined, -1);
        metrics.incCounter("contract_fills_total", undefined, Number.NaN);
        metrics.incCounter("contract_fills_total", undefined, Number.POSITIVE_INFINITY);
        metrics.setGauge("contract_pnl", Number.NaN);
        metrics.addGauge("contract_pnl", Number.NEGATIVE_INFINITY);
        metrics.observeHistogram("contract_latency_seconds", Number.POSITIVE_INFINITY);
        metrics.observeHistogram("contract_latency_seconds", Number.NaN);
      }).not.toThrow();

      expect(metrics.errors()).toEqual([
        'counter "contract_fills_total": an increment must not be negative (counters only go up); the call was dropped',
        'counter "contract_fills_total": value must be a finite number; the call was dropped',
        'gauge "contract_pnl": value must be a finite number; the call was dropped',
        'histogram "contract_latency_seconds": value must be a finite number; the call was dropped',
      ]);
      const body = await render();
      expect(sampleValue(body, "contract_fills_total")).toBe(2);
      expect(sampleValue(body, "contract_pnl")).toBe(-3);
      expect(sampleValue(body, "contract_latency_seconds_count")).toBe(1);
      expect(sampleValue(body, "contract_latency_seconds_sum")).toBe(0.5);
    });

    it("records or reports a negative histogram observation, never silently drops it", async () => {
      metrics.observeHistogram("contract_drift_seconds", 0.25);
      expect(() => metrics.observeHistogram("contract_drift_seconds", -0.5)).not.toThrow();
      const body = await render();
      const count = sampleValue(body, "contract_drift_seconds_count");
      if (count === 2) {
        expect(metrics.errors()).toEqual([]);
        expect(sampleValue(body, "contract_drift_seconds_sum")).toBe(-0.25);
      } else {
        expect(count).toBe(1);
        expect(metrics.errors()).toHaveLength(1);
        expect(metrics.errors()[0]).toMatch(/^histogram "contract_drift_seconds": .*dropped/);
      }
    });

    it("refuses unconventional names and invalid, constant or reserved labels", async () => {
      expect(() => {
        metrics.incCounter("contract_requests");
        metrics.setGauge("contract_handles_total", 1);
        metrics.observeHistogram("contract_wait_seconds_bucket", 1);
        metrics.incCounter("contract-dashes_total");
        metrics.incCounter("contract_bad_label_total", { "bad-label": "v" });
        metrics.incCounter("contract_spoof_total", { service: "other" });
        metrics.observeHistogram("contract_le_seconds", 1, { le: "1" });
      }).not.toThrow();

      expect(metrics.errors()).toEqual([
        'counter "contract_requests" must end in "_total"; the call was dropped',
        'gauge "contract_handles_total" must not end in "_total" (only counters do); the call was dropped',
        'histogram "contract_wait_seconds_bucket" must not end in "_bucket" (reserved for histogram series); the call was dropped',
        'metric name "contract-dashes_total" must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$; the call was dropped',
        'counter "contract_bad_label_total": label name "bad-label" must match ^[a-zA-Z_][a-zA-Z0-9_]*$ and not start with "__"; the call was dropped',
        'counter "contract_spoof_total": label "service" is a constant label and may not be set per call; the call was dropped',
        'histogram "contract_le_seconds": label "le" is reserved for bucket bounds; the call was dropped',
      ]);
      const recorded = parseSamples(await render()).filter((sample) =>
        sample.name.startsWith("contract"),
      );
      expect(recorded).toEqual([]);
    });

    it("reports invalid described buckets and falls back to the default buckets", async () => {
      metrics.describe("contract_slow_seconds", "histogram", { help: "Slow.", buckets: [2, 1] });
      metrics.describe("contract_inf_seconds", "histogram", {
        help: "Inf.",
        buckets: [1, Number.POSITIVE_INFINITY],
      });
      metrics.observeHistogram("contract_slow_seconds", 0.001);
      metrics.observeHistogram("contract_inf_seconds", 0.001);

      expect(metrics.errors()).toEqual([
        'histogram "contract_slow_seconds": histogram bucket bounds must be strictly ascending',
        'histogram "contract_inf_seconds": histogram bucket bounds must be finite numbers (+Inf is implicit)',
      ]);
      const body = await render();
      expect(bucketBounds(body, "contract_slow_seconds")).toEqual(DEFAULT_BOUNDS);
      expect(bucketBounds(body, "contract_inf_seconds")).toEqual(DEFAULT_BOUNDS);
      expect(sampleValue(body, "contract_slow_seconds_bucket", { le: "0.005" })).toBe(1);
      expect(familyHelp(body).get("contract_slow_seconds")).toBe("Slow.");
    });

    it("reports each distinct mistake once, oldest first", () => {
      metrics.incCounter("contract_orders_total", { side: "buy" });
      for (let i = 0; i < 5; i++) {
        metrics.incCounter("contract_orders_total", { venue: String(i) });
        metrics.setGauge("contract_orders_total", i);
      }
      expect(metrics.errors()).toEqual([
        'counter "contract_orders_total" has label names [side]; a call with [venue] was dropped',
        'metric "contract_orders_total" is a counter; using it as a gauge was refused',
      ]);
    });

    it("answers an OpenMetrics Accept header in the format its content type names", async () => {
      metrics.incCounter("contract_orders_total", { side: "buy" }, 3);
      metrics.observeHistogram("contract_latency_seconds", 0.2);
      const { contentType, body } = await metrics.exposition(
        "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5",
      );
      expect([OPENMETRICS_CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE]).toContain(contentType);
      if (contentType === OPENMETRICS_CONTENT_TYPE) expect(body.endsWith("# EOF\n")).toBe(true);
      else expect(body).not.toContain("# EOF");
      expect(sampleValue(body, "contract_orders_total", { side: "buy" })).toBe(3);
      expect(sampleValue(body, "contract_latency_seconds_count")).toBe(1);
      // The text format is still what a scrape without Accept gets afterwards.
      expect(sampleValue(await render(), "contract_orders_total", { side: "buy" })).toBe(3);
    });
  });
}
