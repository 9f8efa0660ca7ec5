import { describeMetricsPortContract } from "@tse/metrics-port/testing";
import { createPrometheusMetrics } from "./prometheus-metrics.js";

describeMetricsPortContract("PrometheusMetrics", ({ constantLabels }) =>
  createPrometheusMetrics({ constantLabels, defaultMetrics: false }),
);

describeMetricsPortContract("PrometheusMetrics with runtime metrics", ({ constantLabels }) =>
  createPrometheusMetrics({ constantLabels }),
);
