import type { MetricLabels } from "./metrics-port.js";

/** The `Content-Type` of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The `Content-Type` of the OpenMetrics 1.0.0 text format. */
export const OPENMETRICS_CONTENT_TYPE =
  "application/openmetrics-text; version=1.0.0; charset=utf-8";

/**
 * Formats a sample value as the text format writes it: `+Inf`, `-Inf`, `NaN`, otherwise the
 * shortest JavaScript representation (`1`, `0.25`, `1e-7`).
 */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Escapes a `# HELP` text: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * Formats a label set as `{a="1",b="2"}` in the given order (empty string when there are no
 * labels), escaping the values.
 */
export function formatLabelSet(labels: MetricLabels): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    parts.push(`${name}="${escapeLabelValue(value)}"`);
  }
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}
