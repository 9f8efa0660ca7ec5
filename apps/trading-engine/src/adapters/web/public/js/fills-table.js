// The most recent fills, across the most recent orders.
import { element, query } from "@tse/web-kit/dom.js";
import { fixed, price, quantity, timeOfDay } from "@tse/web-kit/format.js";

/** @typedef {import("./desk-types.js").OrderBody} OrderBody */

/**
 * Renders the newest `limit` fills of `orders` (newest first): time (UTC), instrument, side,
 * price, quantity, fee and whether it made or took liquidity.
 *
 * @param {{ table: HTMLTableElement, empty: HTMLElement }} elements
 * @param {readonly OrderBody[]} orders
 * @param {number} limit
 */
export function renderFills({ table, empty }, orders, limit) {
  const fills = orders
    .flatMap((order) =>
      order.fills.map((fill) => ({ order, fill, at: Date.parse(fill.timestamp) })),
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
  empty.hidden = fills.length > 0;
  query(table, "tbody", HTMLTableSectionElement).replaceChildren(
    ...fills.map(({ order, fill, at }) =>
      element("tr", "", [
        element("td", "muted", timeOfDay(at)),
        element("td", "", order.instrument),
        element("td", order.side === "buy" ? "up" : "down", order.side),
        element("td", "num", price(fill.price)),
        element("td", "num", quantity(fill.quantity)),
        element("td", "num optional muted", fixed(fill.fee, 4)),
        element("td", "optional muted", fill.liquidity),
      ]),
    ),
  );
}
