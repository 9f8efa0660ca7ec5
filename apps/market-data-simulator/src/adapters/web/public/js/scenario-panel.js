// Starting, listing and stopping market scenarios on the live feed (MarketDataService RPCs).
import { callUnary, RpcError } from "@tse/web-kit/connect.js";
import { element, query, syncRows } from "@tse/web-kit/dom.js";
import { duration, fixed, timeOfDay } from "@tse/web-kit/format.js";
import { poll } from "@tse/web-kit/poller.js";

/**
 * @typedef {import("@tse/web-kit/connection-status.js").LinkState} LinkState
 * @typedef {import("./candle-chart.js").ChartEvent} ChartEvent
 */

/**
 * A `marketdata.v1.Scenario` in the protobuf JSON mapping.
 *
 * @typedef {object} Scenario
 * @property {string} id
 * @property {string} type e.g. `SCENARIO_TYPE_RALLY`
 * @property {string[]} [symbols]
 * @property {{ intensity?: number, durationSeconds?: number }} [parameters]
 * @property {string} status e.g. `SCENARIO_STATUS_ACTIVE`
 * @property {string} startedAt RFC 3339
 * @property {string} [endsAt]
 * @property {string} [recoveryEndsAt]
 */

const SERVICE = "marketdata.v1.MarketDataService";

/** @type {Record<string, "up" | "down">} */
const TENDENCIES = {
  SCENARIO_TYPE_RALLY: "up",
  SCENARIO_TYPE_CRASH: "down",
  SCENARIO_TYPE_FLASH_CRASH: "down",
};

/** @param {string} type `SCENARIO_TYPE_FLASH_CRASH` → `Flash crash` */
const typeLabel = (type) => {
  const words = type.replace("SCENARIO_TYPE_", "").toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** @param {string} status `SCENARIO_STATUS_ACTIVE` → `active` */
const statusLabel = (status) => status.replace("SCENARIO_STATUS_", "").toLowerCase();

/** @type {Record<string, string>} the badge tone of a status; ended ones stay plain */
const STATUS_TONES = { active: "info", recovering: "warn" };

/**
 * The scenario form and list. Starting applies the scenario to the charted symbol or to every
 * symbol; the list (running and recently ended, newest first) refreshes every 2 s and after each
 * action, counts down in simulated time, and offers Stop while a scenario runs. The scenarios
 * that touch the charted symbol are handed to `onScenarios` as chart events.
 */
export class ScenarioPanel {
  #form;
  #error;
  #body;
  #empty;
  #context;
  /** @type {Scenario[]} */
  #scenarios = [];

  /**
   * @param {{ form: HTMLFormElement, error: HTMLElement, table: HTMLTableElement, empty: HTMLElement }} elements
   * @param {{ selectedSymbol: () => string, symbolCount: number, simulatedNow: () => number, onScenarios: (events: readonly ChartEvent[]) => void, onState: (state: LinkState) => void }} context
   */
  constructor(elements, context) {
    this.#form = elements.form;
    this.#error = elements.error;
    this.#body = query(elements.table, "tbody", HTMLTableSectionElement);
    this.#empty = elements.empty;
    this.#context = context;
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#start();
    });
  }

  /** Starts refreshing the list. */
  start() {
    poll((signal) => this.refresh(signal), 2_000, this.#context.onState);
  }

  /** @param {AbortSignal} [signal] */
  async refresh(signal) {
    /** @type {{ scenarios?: Scenario[] }} */
    const response = await callUnary(`${SERVICE}/ListScenarios`, { includeEnded: true }, signal);
    this.#scenarios = response.scenarios ?? [];
    this.render();
  }

  /** Re-renders the list (the countdowns) and the chart events for the charted symbol. */
  render() {
    const now = this.#context.simulatedNow();
    syncRows(
      this.#body,
      this.#scenarios,
      (scenario) => scenario.id,
      (scenario) => {
        const row = element("tr", "", [
          element("td", "", typeLabel(scenario.type)),
          element("td"),
          element("td", "num", `×${fixed(scenario.parameters?.intensity ?? 1, 1)}`),
          element("td", "", [element("span", "badge")]),
          element("td", "optional muted", timeOfDay(Date.parse(scenario.startedAt))),
          element("td"),
          element("td", "num"),
        ]);
        row.dataset.scenarioId = scenario.id;
        return row;
      },
      (row, scenario) => this.#update(row, scenario, now),
    );
    this.#empty.hidden = this.#scenarios.length > 0;
    const symbol = this.#context.selectedSymbol();
    this.#context.onScenarios(
      this.#scenarios
        .filter((scenario) => (scenario.symbols ?? []).includes(symbol))
        .map((scenario) => ({
          at: Date.parse(scenario.startedAt),
          label: typeLabel(scenario.type),
          tendency: TENDENCIES[scenario.type] ?? "neutral",
        })),
    );
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {Scenario} scenario
   * @param {number} now simulated epoch milliseconds
   */
  #update(row, scenario, now) {
    const [, symbolsCell, , statusCell, , remainingCell, actionCell] = row.cells;
    const status = statusLabel(scenario.status);
    const running = status === "active" || status === "recovering";
    const symbols = scenario.symbols ?? [];
    if (symbolsCell !== undefined) {
      symbolsCell.textContent =
        symbols.length >= this.#context.symbolCount ? "all" : symbols.join(", ");
    }
    const badge = statusCell?.firstElementChild;
    if (badge instanceof HTMLElement) {
      badge.className = `badge ${STATUS_TONES[status] ?? ""}`;
      badge.textContent = status;
    }
    if (remainingCell !== undefined) {
      const until = status === "active" ? scenario.endsAt : scenario.recoveryEndsAt;
      remainingCell.textContent =
        running && until !== undefined
          ? `${status === "recovering" ? "recovery " : ""}${duration((Date.parse(until) - now) / 1000)}`
          : "—";
      remainingCell.className = running ? "" : "muted";
    }
    // The Stop button is made once and removed when the scenario ends, so a click survives.
    if (actionCell !== undefined && row.dataset.status !== status) {
      row.dataset.status = status;
      actionCell.replaceChildren();
      if (running) {
        const stop = element("button", "ghost danger", "Stop");
        stop.type = "button";
        stop.addEventListener("click", () => void this.#stop(scenario.id, stop));
        actionCell.append(stop);
      }
    }
  }

  async #start() {
    const data = new FormData(this.#form);
    const scope = data.get("scope");
    const request = {
      type: String(data.get("type")),
      symbols: scope === "all" ? [] : [this.#context.selectedSymbol()],
      parameters: {
        intensity: Number(data.get("intensity")),
        durationSeconds: Number(data.get("duration")),
        recoveryFactor: Number(data.get("recovery")),
        gradualTransition: data.get("gradual") !== null,
      },
    };
    const button = query(this.#form, "button[type=submit]", HTMLButtonElement);
    button.disabled = true;
    this.#error.hidden = true;
    try {
      await callUnary(`${SERVICE}/StartScenario`, request);
      await this.refresh();
    } catch (error) {
      this.#showError(error);
    } finally {
      button.disabled = false;
    }
  }

  /**
   * @param {string} id
   * @param {HTMLButtonElement} button
   */
  async #stop(id, button) {
    button.disabled = true;
    try {
      await callUnary(`${SERVICE}/StopScenario`, { scenarioId: id });
      await this.refresh();
    } catch (error) {
      this.#showError(error);
      button.disabled = false;
    }
  }

  /** @param {unknown} error */
  #showError(error) {
    this.#error.textContent =
      error instanceof RpcError ? error.message : "The simulator could not be reached.";
    this.#error.hidden = false;
  }
}
