/** One line a storage adapter wants logged; the composition root maps it onto its logger. */
export type AdapterLog = (
  level: "info" | "warn" | "error",
  message: string,
  fields: Readonly<Record<string, unknown>>,
) => void;

/** The state of one dependency as an adapter's health report gives it. */
export interface DependencyHealth {
  readonly ok: boolean;
  /** `ok`, `memory`, or why it is not ok. */
  readonly detail: string;
}

/**
 * A readiness probe in the shape the service kit takes: resolves when the dependency works,
 * rejects with the reason otherwise; `"disabled"` when the instance runs in memory.
 */
export type AdapterProbe = ((signal: AbortSignal) => Promise<void>) | "disabled";
