import { InMemoryMetrics } from "./in-memory-metrics.js";
import { describeMetricsPortContract } from "./testing/index.js";

describeMetricsPortContract(
  "InMemoryMetrics",
  ({ constantLabels }) => new InMemoryMetrics({ constantLabels }),
);
