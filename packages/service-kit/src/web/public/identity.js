// Who served the page: the identity of `/api/v1/health` (docs/protocols.md#common-http-endpoints)
// in the page header.
import { getJson } from "./rest.js";

/** @typedef {{ service: string, instance: string, version: string, environment: string }} Health */

/**
 * Reads `/api/v1/health`. Rejects on a network failure or a non-2xx status.
 *
 * @returns {Promise<Health>}
 */
export function loadHealth() {
  return getJson("/api/v1/health");
}

/**
 * Writes each identity field into the element under `container` whose `data-field` names it,
 * and names the browser tab after the instance.
 *
 * @param {HTMLElement} container
 * @param {Health} health
 * @param {string} pageName e.g. `Market Data`
 */
export function showIdentity(container, health, pageName) {
  for (const field of /** @type {const} */ (["service", "instance", "version", "environment"])) {
    const node = container.querySelector(`[data-field=${field}]`);
    if (node !== null) node.textContent = health[field];
  }
  document.title = `${health.instance} · ${pageName}`;
}
