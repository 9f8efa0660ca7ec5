// The strategies with status and PnL, and their lifecycle actions (TradingService RPCs).
import { callUnary, RpcError } from "@tse/web-kit/connect.js";
import { element, query, syncRows } from "@tse/web-kit/dom.js";
import { direction, signedMoney } from "@tse/web-kit/format.js";

/** @typedef {import("./desk-types.js").StrategyBody} StrategyBody */

const SERVICE = "trading.v1.TradingService";

/** @type {Record<StrategyBody["status"], string>} */
const STATUS_TONES = { inactive: "", active: "good", paused: "warn", stopped: "", error: "bad" };

/** @type {Record<StrategyBody["type"], string>} */
const TYPE_LABELS = { market_making: "Market making", mean_reversion: "Mean reversion" };

/**
 * One row per strategy (newest first): name and id, type, instruments, status (with the
 * reason as a tooltip), total, realized and unrealized PnL coloured by sign, orders and fills,
 * and the actions its status allows — Pause while active, Resume while paused, Stop until
 * stopped. An action's refusal shows in `error`; `onChanged` runs after each action.
 */
export class StrategiesTable {
  #body;
  #empty;
  #error;
  #onChanged;

  /**
   * @param {{ table: HTMLTableElement, empty: HTMLElement, error: HTMLElement }} elements
   * @param {() => void} onChanged
   */
  constructor(elements, onChanged) {
    this.#body = query(elements.table, "tbody", HTMLTableSectionElement);
    this.#empty = elements.empty;
    this.#error = elements.error;
    this.#onChanged = onChanged;
  }

  /** @param {readonly StrategyBody[]} strategies */
  render(strategies) {
    this.#empty.hidden = strategies.length > 0;
    syncRows(
      this.#body,
      strategies,
      (s) => s.id,
      (s) => {
        const row = element("tr", "", [
          element("td", "strategy-name", [element("span"), element("span", "secondary")]),
          element("td", "optional"),
          element("td", "optional"),
          element("td", "", [element("span", "badge")]),
          element("td", "num"),
          element("td", "num optional"),
          element("td", "num optional"),
          element("td", "num optional"),
          element("td", "num optional"),
          element("td", "actions"),
        ]);
        row.dataset.strategyId = s.id;
        return row;
      },
      (row, s) => this.#update(row, s),
    );
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {StrategyBody} s
   */
  #update(row, s) {
    const [name, type, instruments, status, total, realized, unrealized, orders, fills, actions] =
      row.cells;
    const [label, id] = name?.children ?? [];
    if (label !== undefined) label.textContent = s.name;
    if (id !== undefined) id.textContent = s.id.length > 12 ? `${s.id.slice(0, 8)}…` : s.id;
    if (type !== undefined) type.textContent = TYPE_LABELS[s.type];
    if (instruments !== undefined) instruments.textContent = s.instruments.join(", ");
    const badge = status?.firstElementChild;
    if (badge instanceof HTMLElement) {
      badge.className = `badge ${STATUS_TONES[s.status]}`;
      badge.textContent = s.status;
      badge.title = s.status_reason;
    }
    const p = s.performance;
    for (const [cell, value] of /** @type {const} */ ([
      [total, p.total_pnl],
      [realized, p.realized_pnl],
      [unrealized, p.unrealized_pnl],
    ])) {
      if (cell === undefined) continue;
      cell.textContent = signedMoney(value);
      cell.classList.remove("up", "down");
      const tone = direction(Math.round(value * 100));
      if (tone !== "") cell.classList.add(tone);
    }
    if (orders !== undefined) orders.textContent = String(p.order_count);
    if (fills !== undefined) fills.textContent = String(p.fill_count);
    // The buttons are rebuilt only when the status changes, so a click in progress survives.
    if (actions !== undefined && row.dataset.status !== s.status) {
      row.dataset.status = s.status;
      actions.replaceChildren();
      if (s.status === "active") actions.append(this.#button("Pause", "PauseStrategy", s.id));
      if (s.status === "paused") actions.append(this.#button("Resume", "ResumeStrategy", s.id));
      if (s.status !== "stopped" && s.status !== "error") {
        actions.append(this.#button("Stop", "StopStrategy", s.id, "danger"));
      }
    }
  }

  /**
   * @param {string} label
   * @param {string} method
   * @param {string} strategyId
   * @param {string} [tone]
   */
  #button(label, method, strategyId, tone = "") {
    const button = element("button", `ghost ${tone}`, label);
    button.type = "button";
    button.addEventListener("click", async () => {
      button.disabled = true;
      this.#error.hidden = true;
      try {
        await callUnary(`${SERVICE}/${method}`, { strategyId });
        this.#onChanged();
      } catch (error) {
        this.#error.textContent =
          error instanceof RpcError ? error.message : "The engine could not be reached.";
        this.#error.hidden = false;
        button.disabled = false;
      }
    });
    return button;
  }
}
