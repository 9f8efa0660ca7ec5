// The live quotes of every symbol, one row each; a click selects the charted symbol.
import { element, flash, query } from "@tse/web-kit/dom.js";
import { direction, fixed, quantity, signedPercent } from "@tse/web-kit/format.js";

/**
 * @typedef {import("./price-stream.js").PriceBody} PriceBody
 * @typedef {{ symbol: string, decimals: number }} SymbolFormat
 */

/**
 * @typedef {object} QuoteRow
 * @property {HTMLTableRowElement} row
 * @property {HTMLTableCellElement} last
 * @property {HTMLTableCellElement} bid
 * @property {HTMLTableCellElement} ask
 * @property {HTMLTableCellElement} spread
 * @property {HTMLSpanElement} change
 * @property {HTMLTableCellElement} high
 * @property {HTMLTableCellElement} low
 * @property {HTMLTableCellElement} volume
 * @property {number} decimals
 * @property {number} [previous] the last price shown, for the up/down flash
 */

/**
 * Quote rows for a fixed list of symbols (in their configured order): last (flashing up or down
 * on each change), bid, ask, spread, 24h change coloured by sign, 24h high, low and volume.
 */
export class QuotesTable {
  /** @type {Map<string, QuoteRow>} */
  #rows = new Map();

  /**
   * @param {HTMLTableElement} table
   * @param {readonly SymbolFormat[]} symbols
   * @param {(symbol: string) => void} onSelect
   */
  constructor(table, symbols, onSelect) {
    const body = query(table, "tbody", HTMLTableSectionElement);
    for (const { symbol, decimals } of symbols) {
      const cell = (/** @type {string} */ className) => element("td", className, "—");
      const change = element("span", "pill", "—");
      /** @type {QuoteRow} */
      const quoteRow = {
        row: element("tr"),
        last: cell("num last"),
        bid: cell("num"),
        ask: cell("num"),
        spread: cell("num optional muted"),
        change,
        high: cell("num optional"),
        low: cell("num optional"),
        volume: cell("num optional muted"),
        decimals,
      };
      const { row } = quoteRow;
      row.dataset.symbol = symbol;
      row.tabIndex = 0;
      row.append(
        element("td", "symbol", symbol),
        quoteRow.last,
        quoteRow.bid,
        quoteRow.ask,
        quoteRow.spread,
        element("td", "num", [change]),
        quoteRow.high,
        quoteRow.low,
        quoteRow.volume,
      );
      row.addEventListener("click", () => onSelect(symbol));
      row.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") onSelect(symbol);
      });
      body.append(row);
      this.#rows.set(symbol, quoteRow);
    }
  }

  /** @param {readonly PriceBody[]} quotes */
  update(quotes) {
    for (const quote of quotes) {
      const row = this.#rows.get(quote.symbol);
      if (row === undefined) continue;
      const d = row.decimals;
      row.last.textContent = fixed(quote.price, d);
      if (row.previous !== undefined && quote.price !== row.previous) {
        flash(row.last, quote.price > row.previous ? "flash-up" : "flash-down");
      }
      row.previous = quote.price;
      row.bid.textContent = fixed(quote.bid, d);
      row.ask.textContent = fixed(quote.ask, d);
      row.spread.textContent = fixed(quote.ask - quote.bid, d);
      row.change.textContent = signedPercent(quote.change_percent_24h);
      row.change.className = `pill ${direction(quote.change_percent_24h)}`;
      row.high.textContent = fixed(quote.high_24h, d);
      row.low.textContent = fixed(quote.low_24h, d);
      row.volume.textContent = quantity(quote.volume_24h);
    }
  }

  /**
   * Highlights the row of the charted symbol.
   *
   * @param {string} symbol
   */
  select(symbol) {
    for (const [name, { row }] of this.#rows) {
      row.setAttribute("aria-selected", String(name === symbol));
    }
  }
}
