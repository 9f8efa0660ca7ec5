/**
 * The OTLP/HTTP metrics URL for an `OTEL_EXPORTER_OTLP_ENDPOINT` base URL, derived as the
 * OpenTelemetry specification says: `v1/metrics` appended to the base path
 * (`http://collector:4318` → `http://collector:4318/v1/metrics`, `https://host/otlp/` →
 * `https://host/otlp/v1/metrics`); the query is kept. Throws a `TypeError` unless `endpoint` is
 * an `http://` or `https://` URL (the message does not quote it: it may carry credentials).
 */
export function otlpMetricsUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError("the OTLP endpoint must be an http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("the OTLP endpoint must be an http:// or https:// URL");
  }
  url.pathname = `${url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`}v1/metrics`;
  return url.toString();
}
