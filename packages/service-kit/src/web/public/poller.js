// Periodic reads of a REST resource that report whether they still succeed.
import { backoffMs, sleep } from "./retry.js";

/** @typedef {import("./connection-status.js").LinkState} LinkState */

/**
 * A running {@link poll}.
 *
 * @typedef {object} Polling
 * @property {() => void} stop ends the polling; a task still running sees its signal abort
 * @property {() => void} refresh runs the task again at once instead of after the interval
 */

/**
 * Runs `task` now and then every `intervalMs` (after a failure, with backoff instead) until
 * stopped. `onState` hears `live` after each success and `reconnecting` after each failure.
 *
 * @param {(signal: AbortSignal) => Promise<void>} task
 * @param {number} intervalMs
 * @param {(state: LinkState) => void} onState
 * @returns {Polling}
 */
export function poll(task, intervalMs, onState) {
  const stopped = new AbortController();
  let wake = new AbortController();
  void (async () => {
    let failures = 0;
    while (!stopped.signal.aborted) {
      try {
        await task(stopped.signal);
        failures = 0;
        if (!stopped.signal.aborted) onState("live");
      } catch {
        if (stopped.signal.aborted) return;
        failures += 1;
        onState("reconnecting");
      }
      const delay = failures === 0 ? intervalMs : backoffMs(failures - 1);
      await sleep(delay, AbortSignal.any([stopped.signal, wake.signal]));
      wake = new AbortController();
    }
  })();
  return { stop: () => stopped.abort(), refresh: () => wake.abort() };
}
