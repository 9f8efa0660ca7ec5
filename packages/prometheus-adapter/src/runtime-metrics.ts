import { EVENT_LOOP_SAMPLING_MS } from "@tse/metrics-port";
import { collectDefaultMetrics, Gauge, type Registry, type RegistryContentType } from "prom-client";

/**
 * The prom-client default metrics that are gauges named with a `_total` suffix, which
 * `promtool check metrics` rejects ("non-counter metrics should not have \"_total\" suffix").
 * {@link registerRuntimeMetrics} removes them; their totals remain available as
 * `sum without (type) (nodejs_active_handles)` and likewise for requests and resources, since
 * prom-client also exposes those gauges per `type` under the names without `_total`.
 */
export const PROMTOOL_REJECTED_RUNTIME_METRICS: readonly string[] = Object.freeze([
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
]);

const NODEJS_VERSION_INFO = "nodejs_version_info";

/**
 * Registers the Node.js runtime metrics of prom-client (CPU, memory, heap spaces, event loop
 * lag, GC, file descriptors, active handles/requests/resources by type, version) on `registry`
 * only (never on prom-client's global registry), each name prefixed by `prefix`. The values
 * are read at scrape time; the event loop delay is sampled every 100 ms. Two changes to
 * prom-client's set:
 *
 * - the {@link PROMTOOL_REJECTED_RUNTIME_METRICS} are removed;
 * - `nodejs_version_info` carries the Node.js version in a `nodejs_version` label instead of
 *   prom-client's `version`, which would hide the service's constant `version` label.
 */
export function registerRuntimeMetrics(registry: Registry<RegistryContentType>, prefix = ""): void {
  collectDefaultMetrics({
    register: registry,
    prefix,
    eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS,
  });
  for (const name of PROMTOOL_REJECTED_RUNTIME_METRICS) registry.removeSingleMetric(prefix + name);
  registry.removeSingleMetric(prefix + NODEJS_VERSION_INFO);
  const [major = "", minor = "", patch = ""] = process.versions.node.split(".");
  const labels = { nodejs_version: process.version, major, minor, patch };
  new Gauge({
    name: prefix + NODEJS_VERSION_INFO,
    help: "Node.js version info (the version is in the nodejs_version label).",
    labelNames: Object.keys(labels),
    registers: [registry],
    collect() {
      this.set(labels, 1);
    },
  });
}
