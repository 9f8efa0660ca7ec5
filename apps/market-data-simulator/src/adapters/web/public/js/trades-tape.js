// The recent trades of the charted symbol, newest first.
import { element, query } from "@tse/web-kit/dom.js";
import { fixed, quantity, timeOfDay } from "@tse/web-kit/format.js";

/**
 * `/api/v1/market/trades/{asset}`.
 *
 * @typedef {{ trades: { id: string, price: number, quantity: number, side: "buy" | "sell", timestamp: number }[] }} TradesBody
 */

/** Renders the tape: time (UTC, simulated), price coloured by the aggressor's side, size. */
export class TradesTape {
  #body;

  /** @param {HTMLTableElement} table */
  constructor(table) {
    this.#body = query(table, "tbody", HTMLTableSectionElement);
  }

  /**
   * @param {TradesBody} tape
   * @param {number} decimals
   */
  render(tape, decimals) {
    this.#body.replaceChildren(
      ...tape.trades.map((trade) =>
        element("tr", "", [
          element("td", "", timeOfDay(trade.timestamp)),
          element(
            "td",
            `num ${trade.side === "buy" ? "up" : "down"}`,
            fixed(trade.price, decimals),
          ),
          element("td", "num", quantity(trade.quantity)),
        ]),
      ),
    );
  }
}
