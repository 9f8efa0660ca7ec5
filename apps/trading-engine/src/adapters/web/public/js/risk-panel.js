// Risk status and limits, and the circuit breaker with its toggle (RiskService RPCs).
import { callUnary, RpcError } from "@tse/web-kit/connect.js";
import { element } from "@tse/web-kit/dom.js";
import { fixed, money, quantity } from "@tse/web-kit/format.js";

/** @typedef {import("./desk-types.js").RiskBody} RiskBody */

const SERVICE = "trading.v1.RiskService";

/**
 * One limit as a row with a meter: the used amount against the limit, and the utilisation as
 * the bar (amber from 80 %, red at or above 100 %); "off" when the limit is disabled (0).
 *
 * @param {string} label
 * @param {string} used
 * @param {string} limit
 * @param {number} utilization
 */
function limitRow(label, used, limit, utilization) {
  const meter = element("div", "meter", [element("span")]);
  const bar = /** @type {HTMLElement} */ (meter.firstElementChild);
  bar.style.width = `${Math.min(100, utilization * 100).toFixed(1)}%`;
  meter.dataset.level = utilization >= 1 ? "over" : utilization >= 0.8 ? "high" : "ok";
  return element("li", "", [
    element("div", "limit-head", [
      element("span", "", label),
      element("span", "", `${used} / ${limit}`),
    ]),
    meter,
  ]);
}

/**
 * Shows the circuit breaker (state, what engaged it, why) with a button that engages or
 * releases it, and each risk limit with its utilisation. {@link render} takes the latest
 * `/api/v1/risk`; `onChanged` runs after the breaker was switched, to refresh the page.
 */
export class RiskPanel {
  #elements;
  #onChanged;
  /** @type {"engaged" | "disengaged" | undefined} */
  #state;

  /**
   * @param {{ breaker: HTMLElement, value: HTMLElement, reason: HTMLElement, toggle: HTMLButtonElement, error: HTMLElement, limits: HTMLElement, rejections: HTMLElement }} elements
   * @param {() => void} onChanged
   */
  constructor(elements, onChanged) {
    this.#elements = elements;
    this.#onChanged = onChanged;
    elements.toggle.addEventListener("click", () => void this.#toggle());
  }

  /** @param {RiskBody} risk */
  render(risk) {
    const { breaker, value, reason, toggle, limits, rejections } = this.#elements;
    const { circuit_breaker: circuit, limits: limit, utilization: used } = risk;
    this.#state = circuit.state;
    const engaged = circuit.state === "engaged";
    breaker.dataset.state = circuit.state;
    value.textContent = engaged ? "ENGAGED" : "Disengaged";
    reason.textContent = engaged
      ? `${circuit.trigger ?? "manual"}${circuit.reason === "" ? "" : `: ${circuit.reason}`}`
      : "trading allowed";
    if (toggle.dataset.busy === undefined) {
      toggle.disabled = false;
      toggle.textContent = engaged ? "Release breaker" : "Engage breaker";
    }
    rejections.textContent = `${used.rejected_orders} rejected order${used.rejected_orders === 1 ? "" : "s"}`;
    const off = (/** @type {number} */ max) => max === 0;
    limits.replaceChildren(
      limitRow(
        "Total notional",
        money(used.total_notional),
        off(limit.max_total_notional) ? "off" : money(limit.max_total_notional),
        used.total_notional_utilization,
      ),
      limitRow(
        "Gross leverage",
        used.gross_leverage === null ? "∞" : `${fixed(used.gross_leverage, 2)}×`,
        off(limit.max_gross_leverage) ? "off" : `${fixed(limit.max_gross_leverage, 2)}×`,
        used.gross_leverage_utilization ?? 1,
      ),
      limitRow(
        "Orders / second",
        String(used.orders_last_second),
        off(limit.max_orders_per_second) ? "off" : String(limit.max_orders_per_second),
        used.order_rate_utilization,
      ),
      limitRow(
        "Drawdown",
        `${fixed(used.drawdown * 100, 2)} %`,
        off(limit.max_drawdown) ? "off" : `${fixed(limit.max_drawdown * 100, 1)} %`,
        used.drawdown_utilization,
      ),
      ...used.instruments.map((i) =>
        limitRow(
          `Position ${i.instrument}`,
          quantity(i.net_position),
          off(i.max_position_size) ? "off" : quantity(i.max_position_size),
          i.utilization,
        ),
      ),
    );
  }

  async #toggle() {
    const { toggle, error } = this.#elements;
    const engage = this.#state !== "engaged";
    toggle.disabled = true;
    toggle.dataset.busy = "";
    error.hidden = true;
    try {
      await callUnary(`${SERVICE}/${engage ? "EnableCircuitBreaker" : "DisableCircuitBreaker"}`, {
        reason: engage ? "engaged from the web page" : "released from the web page",
      });
      this.#onChanged();
    } catch (failure) {
      error.textContent =
        failure instanceof RpcError ? failure.message : "The engine could not be reached.";
      error.hidden = false;
      toggle.disabled = false;
    } finally {
      delete toggle.dataset.busy;
    }
  }
}
