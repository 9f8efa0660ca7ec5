// Starting a strategy with its parameters (TradingService.StartStrategy).
import { callUnary, RpcError } from "@tse/web-kit/connect.js";
import { query } from "@tse/web-kit/dom.js";

/** @type {Record<string, { rpcType: string, parameters: string, fields: readonly string[] }>} */
const TYPES = {
  market_making: {
    rpcType: "STRATEGY_TYPE_MARKET_MAKING",
    parameters: "marketMaking",
    fields: ["orderQuantity", "spreadBps", "levels", "refreshIntervalMs", "inventorySkew"],
  },
  mean_reversion: {
    rpcType: "STRATEGY_TYPE_MEAN_REVERSION",
    parameters: "meanReversion",
    fields: [
      "orderQuantity",
      "lookback",
      "sampleIntervalMs",
      "entryZScore",
      "exitZScore",
      "stopLossBps",
    ],
  },
};

/**
 * The start form: the type chooses which parameter fields show (the others are disabled, so
 * the browser neither validates nor sends them); submitting starts the strategy on one
 * instrument with those parameters and the strategy limits, and shows the engine's refusal
 * (a parameter out of range, an unknown instrument, the breaker engaged, …) under the form.
 */
export class StrategyForm {
  #form;
  #error;
  #onStarted;

  /**
   * @param {HTMLFormElement} form
   * @param {HTMLElement} error
   * @param {() => void} onStarted
   */
  constructor(form, error, onStarted) {
    this.#form = form;
    this.#error = error;
    this.#onStarted = onStarted;
    const type = query(form, "select[name=type]", HTMLSelectElement);
    type.addEventListener("change", () => this.#showFieldsOf(type.value));
    this.#showFieldsOf(type.value);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.#start();
    });
  }

  /** @param {string} type */
  #showFieldsOf(type) {
    for (const fieldset of this.#form.querySelectorAll("fieldset[data-type]")) {
      if (!(fieldset instanceof HTMLFieldSetElement)) continue;
      const shown = fieldset.dataset.type === type;
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    }
  }

  async #start() {
    const data = new FormData(this.#form);
    const type = TYPES[String(data.get("type"))];
    if (type === undefined) return;
    const number = (/** @type {string} */ name) => Number(data.get(name));
    const name = String(data.get("name") ?? "").trim();
    const request = {
      ...(name === "" ? {} : { name }),
      type: type.rpcType,
      instruments: [String(data.get("instrument")).trim().toUpperCase()],
      [type.parameters]: Object.fromEntries(type.fields.map((field) => [field, number(field)])),
      limits: { maxPosition: number("maxPosition"), maxLoss: number("maxLoss") },
    };
    const button = query(this.#form, "button[type=submit]", HTMLButtonElement);
    button.disabled = true;
    this.#error.hidden = true;
    try {
      await callUnary("trading.v1.TradingService/StartStrategy", request);
      this.#onStarted();
    } catch (error) {
      this.#error.textContent =
        error instanceof RpcError ? error.message : "The engine could not be reached.";
      this.#error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }
}
