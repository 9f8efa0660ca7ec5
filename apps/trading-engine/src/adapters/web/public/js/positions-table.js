// The positions per strategy and instrument.
import { element, query } from "@tse/web-kit/dom.js";
import { direction, money, price, quantity, signedMoney } from "@tse/web-kit/format.js";

/**
 * @typedef {import("./desk-types.js").PositionBody} PositionBody
 * @typedef {import("./desk-types.js").StrategyBody} StrategyBody
 */

/**
 * Renders the open positions: instrument, the holding strategy's name, signed quantity
 * (green long, red short), entry and mark prices, unrealized and realized PnL, exposure.
 *
 * @param {{ table: HTMLTableElement, empty: HTMLElement }} elements
 * @param {readonly PositionBody[]} positions
 * @param {readonly StrategyBody[]} strategies for the names
 */
export function renderPositions({ table, empty }, positions, strategies) {
  const names = new Map(strategies.map((s) => [s.id, s.name]));
  const pnlCell = (/** @type {number} */ value, /** @type {string} */ extra) =>
    element("td", `num ${extra} ${direction(Math.round(value * 100))}`, signedMoney(value));
  empty.hidden = positions.length > 0;
  query(table, "tbody", HTMLTableSectionElement).replaceChildren(
    ...positions.map((p) =>
      element("tr", "", [
        element("td", "", p.instrument),
        element("td", "optional muted", names.get(p.strategy_id) ?? p.strategy_id),
        element("td", `num ${direction(p.quantity)}`, quantity(p.quantity)),
        element("td", "num optional", price(p.average_entry_price)),
        element("td", "num optional", price(p.mark_price)),
        pnlCell(p.unrealized_pnl, ""),
        pnlCell(p.realized_pnl, "optional"),
        element("td", "num optional", money(p.exposure)),
      ]),
    ),
  );
}
