/**
 * Resolves after `ms`, or as soon as `signal` aborts (a stream's client went away, the service
 * shuts down) — at once when it already has. Never rejects: the caller checks the signal.
 * A stream waits thousands of times on one signal, so each wait removes its listener again.
 */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
