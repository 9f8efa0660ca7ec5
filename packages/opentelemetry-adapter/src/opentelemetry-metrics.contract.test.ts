import type { MetricsPort } from "@tse/metrics-port";
import { describeMetricsPortContract } from "@tse/metrics-port/testing";
import { createOpenTelemetryMetrics, type OpenTelemetryMetrics } from "./opentelemetry-metrics.js";

const dispose = (metrics: MetricsPort) => (metrics as OpenTelemetryMetrics).shutdown();

describeMetricsPortContract(
  "OpenTelemetryMetrics",
  ({ constantLabels }) => createOpenTelemetryMetrics({ constantLabels, defaultMetrics: false }),
  { dispose },
);

describeMetricsPortContract(
  "OpenTelemetryMetrics with runtime metrics",
  ({ constantLabels }) => createOpenTelemetryMetrics({ constantLabels }),
  { dispose },
);
