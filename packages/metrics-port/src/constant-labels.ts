import { metricLabels } from "./metric-labels.js";
import type { MetricLabels } from "./metrics-port.js";

/**
 * The constant labels of a process (docs/data-model.md#instance-identity): `service`, `instance`
 * (the instance name, or the service name when single) and `version`, plus any further constant
 * labels. Every `MetricsPort` implementation adds them to every series it exposes.
 */
export interface ConstantLabels {
  readonly service: string;
  readonly instance: string;
  readonly version: string;
  readonly [name: string]: string;
}

/** The constant labels every process must have. */
export const REQUIRED_CONSTANT_LABELS: readonly ["service", "instance", "version"] = Object.freeze([
  "service",
  "instance",
  "version",
] as const);

/**
 * Validates the constant labels of an implementation at construction time: `service`,
 * `instance` and `version` must be non-empty strings and every label a valid label set entry
 * (see `labelProblems`). Returns them as a frozen label set sorted by name; throws a
 * `TypeError` naming the first problem.
 */
export function constantMetricLabels(labels: ConstantLabels): MetricLabels {
  for (const required of REQUIRED_CONSTANT_LABELS) {
    const value: unknown = labels?.[required];
    if (typeof value !== "string" || value.length === 0) {
      throw new TypeError(`constant label "${required}" must be a non-empty string`);
    }
  }
  return metricLabels(labels);
}
