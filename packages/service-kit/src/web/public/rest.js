// Reads of this service's REST API.
import { accessRefused, authorizationHeaders } from "./access-token.js";

/**
 * GETs a JSON resource of this origin (with the access token, when one is set); rejects on a
 * network failure or a non-2xx status (401 with the page's explanation, opening the token
 * control).
 *
 * @template T the body's JSON shape
 * @param {string} path
 * @param {AbortSignal} [signal]
 * @returns {Promise<T>}
 */
export async function getJson(path, signal) {
  const response = await fetch(path, {
    headers: { Accept: "application/json", ...authorizationHeaders() },
    ...(signal === undefined ? {} : { signal }),
  });
  if (response.status === 401) throw new Error(accessRefused());
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}
