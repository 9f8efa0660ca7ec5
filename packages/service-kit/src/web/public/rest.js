// Reads of this service's REST API.

/**
 * GETs a JSON resource of this origin; rejects on a network failure or a non-2xx status.
 *
 * @template T the body's JSON shape
 * @param {string} path
 * @param {AbortSignal} [signal]
 * @returns {Promise<T>}
 */
export async function getJson(path, signal) {
  const response = await fetch(path, {
    headers: { Accept: "application/json" },
    ...(signal === undefined ? {} : { signal }),
  });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}
