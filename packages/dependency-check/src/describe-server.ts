/** How long a start-up check waits for a dependency unless told otherwise. */
export const DEFAULT_DEPENDENCY_CHECK_TIMEOUT_MS = 10_000;

/** `host:port/database` of a server URL: enough to find it, never its credentials. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * A dependency's URL setting as the adapters read it: `undefined` when absent or blank (the
 * in-memory backend), the URL otherwise.
 */
export function configuredUrl(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
