// Waiting between reconnection attempts.

/**
 * The delay before reconnection attempt `attempt` (0-based): 0.5 s doubling up to 8 s, with
 * jitter so that many pages do not reconnect in step after a restart.
 *
 * @param {number} attempt
 */
export function backoffMs(attempt) {
  const base = Math.min(8_000, 500 * 2 ** attempt);
  return base * (0.75 + Math.random() * 0.5);
}

/**
 * Resolves after `ms`, or at once when `signal` aborts.
 *
 * @param {number} ms
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Calls `attempt` until it resolves (with backoff between tries), for what a page cannot start
 * without while its service may be starting or restarting. `onFailure` hears each failed try.
 *
 * @template T
 * @param {() => Promise<T>} attempt
 * @param {() => void} onFailure
 * @returns {Promise<T>}
 */
export async function retrying(attempt, onFailure) {
  const never = new AbortController().signal;
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch {
      onFailure();
      await sleep(backoffMs(failures), never);
    }
  }
}
