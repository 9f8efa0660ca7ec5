/**
 * Polls `probe` every `intervalMs` until it resolves to something other than `undefined` and
 * returns that; a probe that rejects counts as not yet. Throws once `timeoutMs` has passed.
 * For process tests that wait on a real service (readiness, rows written, keys published).
 */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
