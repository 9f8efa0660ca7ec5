// The open orders, each with a Cancel button (TradingService.CancelOrder).
import { callUnary, RpcError } from "@tse/web-kit/connect.js";
import { element, query, syncRows } from "@tse/web-kit/dom.js";
import { price, quantity } from "@tse/web-kit/format.js";

/** @typedef {import("./desk-types.js").OrderBody} OrderBody */

/**
 * One row per open order (newest first): instrument, side, type, limit price (or "market"),
 * quantity, filled quantity, status, and Cancel. Rows are kept across refreshes, so a click on
 * Cancel is not lost; a refusal shows in `error`, and `onChanged` runs after a cancel.
 */
export class OrdersTable {
  #body;
  #empty;
  #count;
  #error;
  #onChanged;

  /**
   * @param {{ table: HTMLTableElement, empty: HTMLElement, count: HTMLElement, error: HTMLElement }} elements
   * @param {() => void} onChanged
   */
  constructor(elements, onChanged) {
    this.#body = query(elements.table, "tbody", HTMLTableSectionElement);
    this.#empty = elements.empty;
    this.#count = elements.count;
    this.#error = elements.error;
    this.#onChanged = onChanged;
  }

  /** @param {readonly OrderBody[]} orders */
  render(orders) {
    this.#empty.hidden = orders.length > 0;
    this.#count.textContent = orders.length === 0 ? "" : `${orders.length} working`;
    syncRows(
      this.#body,
      orders,
      (order) => order.id,
      (order) => {
        const cancel = element("button", "ghost danger", "Cancel");
        cancel.type = "button";
        cancel.addEventListener("click", () => void this.#cancel(order.id, cancel));
        const row = element("tr", "", [
          element("td", "", order.instrument),
          element("td", order.side === "buy" ? "up" : "down", order.side),
          element("td", "optional muted", order.type),
          element("td", "num", order.limit_price === null ? "market" : price(order.limit_price)),
          element("td", "num", quantity(order.quantity)),
          element("td", "num optional"),
          element("td", "optional"),
          element("td", "num", [cancel]),
        ]);
        row.dataset.orderId = order.id;
        return row;
      },
      (row, order) => {
        const filled = row.cells[5];
        const status = row.cells[6];
        if (filled !== undefined) filled.textContent = quantity(order.filled_quantity);
        if (status !== undefined) status.textContent = order.status.replaceAll("_", " ");
      },
    );
  }

  /**
   * @param {string} orderId
   * @param {HTMLButtonElement} button
   */
  async #cancel(orderId, button) {
    button.disabled = true;
    this.#error.hidden = true;
    try {
      await callUnary("trading.v1.TradingService/CancelOrder", { orderId });
      this.#onChanged();
    } catch (error) {
      this.#error.textContent =
        error instanceof RpcError ? error.message : "The engine could not be reached.";
      this.#error.hidden = false;
      button.disabled = false;
    }
  }
}
