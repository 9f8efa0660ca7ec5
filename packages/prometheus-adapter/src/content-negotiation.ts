const OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";
const OPENMETRICS_VERSIONS: ReadonlySet<string> = new Set(["1.0.0", "0.0.1"]);
const TEXT_MEDIA_TYPES: ReadonlySet<string> = new Set(["text/plain", "text/*", "*/*"]);

interface Preference {
  readonly quality: number;
  readonly position: number;
}

/**
 * Whether a scrape whose `Accept` header is `accept` should be answered in OpenMetrics rather
 * than in the Prometheus text format 0.0.4.
 *
 * OpenMetrics is chosen when the header lists `application/openmetrics-text` (without a
 * version, or with version 1.0.0 or 0.0.1) with a quality above zero that is higher than the
 * best quality of `text/plain`, `text/*` or `*\/*`, or equal to it and listed first. A missing
 * or empty header, a bare `*\/*`, or anything unparseable means the text format. Matching is
 * case-insensitive. Never throws.
 */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (typeof accept !== "string" || accept.length === 0) return false;
  let openMetrics: Preference | undefined;
  let text: Preference | undefined;
  const ranges = accept.split(",");
  for (let position = 0; position < ranges.length; position++) {
    const [mediaType = "", ...parameters] = (ranges[position] ?? "").split(";");
    const type = mediaType.trim().toLowerCase();
    let quality = 1;
    let version: string | undefined;
    for (const parameter of parameters) {
      const separator = parameter.indexOf("=");
      if (separator < 0) continue;
      const key = parameter.slice(0, separator).trim().toLowerCase();
      const value = parameter
        .slice(separator + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
      if (key === "q") quality = parseQuality(value);
      else if (key === "version") version = value;
    }
    if (quality <= 0) continue;
    if (type === OPENMETRICS_MEDIA_TYPE) {
      if (version !== undefined && !OPENMETRICS_VERSIONS.has(version)) continue;
      openMetrics = better(openMetrics, { quality, position });
    } else if (TEXT_MEDIA_TYPES.has(type)) {
      text = better(text, { quality, position });
    }
  }
  if (openMetrics === undefined) return false;
  if (text === undefined) return true;
  if (openMetrics.quality !== text.quality) return openMetrics.quality > text.quality;
  return openMetrics.position < text.position;
}

function parseQuality(value: string): number {
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return 0;
  return Number(value);
}

function better(current: Preference | undefined, candidate: Preference): Preference {
  return current === undefined || candidate.quality > current.quality ? candidate : current;
}
