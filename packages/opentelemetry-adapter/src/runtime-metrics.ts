import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Attributes, Meter, ObservableResult } from "@opentelemetry/api";
import { EVENT_LOOP_SAMPLING_MS, type MetricLabels } from "@tse/metrics-port";

interface RuntimeMetric {
  readonly name: string;
  readonly kind: "counter" | "gauge";
  readonly help: string;
  /** The value now, or `undefined` when there is nothing to report. */
  readonly read: () => number | undefined;
}

const NODEJS_VERSION_INFO = "nodejs_version_info";
const EVENT_LOOP_LAG_STATISTICS = ["min", "max", "mean", "stddev", "p50", "p90", "p99"] as const;

/**
 * The names of the Node.js runtime metrics {@link registerRuntimeMetrics} registers: the most
 * used of prom-client's default metrics, under the same names and types, so dashboards and
 * alerts work with either adapter.
 */
export const RUNTIME_METRIC_NAMES: readonly string[] = Object.freeze([
  "process_cpu_user_seconds_total",
  "process_cpu_system_seconds_total",
  "process_cpu_seconds_total",
  "process_start_time_seconds",
  "process_resident_memory_bytes",
  "nodejs_heap_size_total_bytes",
  "nodejs_heap_size_used_bytes",
  "nodejs_external_memory_bytes",
  ...EVENT_LOOP_LAG_STATISTICS.map((statistic) => `nodejs_eventloop_lag_${statistic}_seconds`),
  NODEJS_VERSION_INFO,
]);

/**
 * Registers the Node.js runtime metrics on `meter` as observable instruments read at collection
 * time, each series carrying `constantLabels`: CPU time (user, system, total) as counters;
 * start time, resident memory, V8 heap size and use, external memory, event loop lag
 * statistics (since the previous collection, from `monitorEventLoopDelay`) and
 * `nodejs_version_info{nodejs_version,major,minor,patch}` as gauges. Every name passes
 * `promtool check metrics` (no `_total` gauge). Returns a function that stops the event loop
 * monitor; the instruments go away with the meter provider.
 */
export function registerRuntimeMetrics(meter: Meter, constantLabels: MetricLabels): () => void {
  const attributes: Attributes = { ...constantLabels };
  const startSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);
  const metrics: RuntimeMetric[] = [
    {
      name: "process_cpu_user_seconds_total",
      kind: "counter",
      help: "Total user CPU time spent in seconds.",
      read: () => process.cpuUsage().user / 1e6,
    },
    {
      name: "process_cpu_system_seconds_total",
      kind: "counter",
      help: "Total system CPU time spent in seconds.",
      read: () => process.cpuUsage().system / 1e6,
    },
    {
      name: "process_cpu_seconds_total",
      kind: "counter",
      help: "Total user and system CPU time spent in seconds.",
      read: () => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1e6;
      },
    },
    {
      name: "process_start_time_seconds",
      kind: "gauge",
      help: "Start time of the process since unix epoch in seconds.",
      read: () => startSeconds,
    },
    {
      name: "process_resident_memory_bytes",
      kind: "gauge",
      help: "Resident memory size in bytes.",
      read: () => process.memoryUsage.rss(),
    },
    {
      name: "nodejs_heap_size_total_bytes",
      kind: "gauge",
      help: "Process heap size from Node.js in bytes.",
      read: () => process.memoryUsage().heapTotal,
    },
    {
      name: "nodejs_heap_size_used_bytes",
      kind: "gauge",
      help: "Process heap size used from Node.js in bytes.",
      read: () => process.memoryUsage().heapUsed,
    },
    {
      name: "nodejs_external_memory_bytes",
      kind: "gauge",
      help: "Node.js external memory size in bytes.",
      read: () => process.memoryUsage().external,
    },
  ];

  for (const metric of metrics) {
    const options = { description: metric.help };
    const instrument =
      metric.kind === "counter"
        ? meter.createObservableCounter(metric.name, options)
        : meter.createObservableGauge(metric.name, options);
    instrument.addCallback((result: ObservableResult) => {
      const value = metric.read();
      if (value !== undefined) result.observe(value, attributes);
    });
  }

  // One batch callback reads every lag statistic from one snapshot, then restarts the monitor.
  const lag = monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLING_MS });
  lag.enable();
  const lagGauges = EVENT_LOOP_LAG_STATISTICS.map(
    (statistic) =>
      [
        statistic,
        meter.createObservableGauge(`nodejs_eventloop_lag_${statistic}_seconds`, {
          description: `The ${statistic} of the event loop delay since the previous collection, in seconds.`,
        }),
      ] as const,
  );
  meter.addBatchObservableCallback(
    (result) => {
      if (lag.count === 0) return;
      const nanoseconds = {
        min: lag.min,
        max: lag.max,
        mean: lag.mean,
        stddev: lag.stddev,
        p50: lag.percentile(50),
        p90: lag.percentile(90),
        p99: lag.percentile(99),
      };
      lag.reset();
      for (const [statistic, gauge] of lagGauges) {
        const value = nanoseconds[statistic];
        if (Number.isFinite(value)) result.observe(gauge, value / 1e9, attributes);
      }
    },
    lagGauges.map(([, gauge]) => gauge),
  );

  const [major = "", minor = "", patch = ""] = process.versions.node.split(".");
  const versionAttributes: Attributes = {
    nodejs_version: process.version,
    major,
    minor,
    patch,
    ...constantLabels,
  };
  meter
    .createObservableGauge(NODEJS_VERSION_INFO, {
      description: "Node.js version info (the version is in the nodejs_version label).",
    })
    .addCallback((result) => result.observe(1, versionAttributes));

  return () => lag.disable();
}
