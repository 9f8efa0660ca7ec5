// The L2 order book of the charted symbol: asks above, bids below, with depth bars.
import { element, query } from "@tse/web-kit/dom.js";
import { fixed, quantity } from "@tse/web-kit/format.js";

/**
 * `/api/v1/market/orderbook/{asset}`: levels as `[price, quantity]`, best first.
 *
 * @typedef {{ bids: [number, number][], asks: [number, number][] }} OrderBookBody
 */

/**
 * Renders a book: asks from the worst down to the best, the spread, then bids from the best;
 * each level's background bar is its cumulative size relative to the deeper side's total.
 */
export class OrderBookView {
  #asks;
  #bids;
  #spread;

  /**
   * @param {HTMLTableElement} table with `tbody.asks`, `tbody.bids` and a spread cell
   * @param {HTMLElement} spread
   */
  constructor(table, spread) {
    this.#asks = query(table, "tbody.asks", HTMLTableSectionElement);
    this.#bids = query(table, "tbody.bids", HTMLTableSectionElement);
    this.#spread = spread;
  }

  /**
   * @param {OrderBookBody} book
   * @param {number} decimals
   */
  render(book, decimals) {
    const cumulative = (/** @type {[number, number][]} */ levels) => {
      let total = 0;
      return levels.map(([price, size]) => {
        total += size;
        return { price, size, total };
      });
    };
    const asks = cumulative(book.asks);
    const bids = cumulative(book.bids);
    const deepest = Math.max(asks.at(-1)?.total ?? 0, bids.at(-1)?.total ?? 0) || 1;
    const rows = (/** @type {{ price: number, size: number, total: number }[]} */ levels) =>
      levels.map(({ price, size, total }) => {
        const row = element("tr", "", [
          element("td", "num", fixed(price, decimals)),
          element("td", "num", quantity(size)),
          element("td", "num muted", quantity(total)),
        ]);
        row.style.setProperty("--depth", `${((total / deepest) * 100).toFixed(1)}%`);
        return row;
      });
    this.#asks.replaceChildren(...rows(asks).reverse());
    this.#bids.replaceChildren(...rows(bids));
    const bestAsk = book.asks[0]?.[0];
    const bestBid = book.bids[0]?.[0];
    if (bestAsk === undefined || bestBid === undefined) {
      this.#spread.textContent = "—";
      return;
    }
    const spread = bestAsk - bestBid;
    const bps = (spread / ((bestAsk + bestBid) / 2)) * 10_000;
    this.#spread.textContent = `spread ${fixed(spread, decimals)} · ${fixed(bps, 1)} bps`;
  }
}
