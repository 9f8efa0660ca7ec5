// One indicator for every live source of the page, so that a dropped stream or a failing poll
// is never silent.

/** @typedef {"connecting" | "live" | "reconnecting"} LinkState */

const LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

/**
 * Shows the worst state of the page's sources in the header badge: `Reconnecting…` while any
 * source is failing (its name in the tooltip), `Live` once every source has delivered, and
 * `Connecting…` before that. The state is also the page's `data-connection` attribute, which
 * the theme uses to dim data that is no longer live. Listeners hear every change of any source.
 */
export class ConnectionStatus {
  /** @type {Map<string, LinkState>} */
  #states = new Map();
  /** @type {((states: ReadonlyMap<string, LinkState>) => void)[]} */
  #listeners = [];
  #badge;

  /**
   * @param {HTMLElement} badge an element with a `.label` child; its `data-state` is set
   * @param {readonly string[]} sources the names of the sources that will report
   */
  constructor(badge, sources) {
    this.#badge = badge;
    for (const source of sources) this.#states.set(source, "connecting");
    this.#render();
  }

  /**
   * Records the state of one source.
   *
   * @param {string} source
   * @param {LinkState} state
   */
  report(source, state) {
    if (this.#states.get(source) === state) return;
    this.#states.set(source, state);
    this.#render();
    for (const listener of this.#listeners) listener(this.#states);
  }

  /** @param {(states: ReadonlyMap<string, LinkState>) => void} listener */
  onChange(listener) {
    this.#listeners.push(listener);
  }

  #render() {
    const states = [...this.#states.values()];
    /** @type {LinkState} */
    const overall = states.includes("reconnecting")
      ? "reconnecting"
      : states.every((state) => state === "live")
        ? "live"
        : "connecting";
    const failing = [...this.#states].filter(([, state]) => state === "reconnecting");
    this.#badge.dataset.state = overall;
    document.documentElement.dataset.connection = overall;
    const label = this.#badge.querySelector(".label");
    if (label !== null) label.textContent = LABELS[overall];
    this.#badge.title =
      failing.length === 0 ? "" : `Not receiving: ${failing.map(([name]) => name).join(", ")}`;
  }
}
