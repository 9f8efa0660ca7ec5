// The portfolio's headline numbers.
import { direction, fixed, money, signedMoney } from "@tse/web-kit/format.js";

/** @typedef {import("./desk-types.js").PortfolioBody} PortfolioBody */

/** The metrics a `[data-metric]` element can show, and how. */
const METRICS = /** @type {const} */ ({
  total_value: "money",
  total_pnl: "pnl",
  realized_pnl: "pnl",
  unrealized_pnl: "pnl",
  cash: "money",
  gross_exposure: "money",
  fees_paid: "money",
  drawdown: "percent",
});

/**
 * Fills each `[data-metric]` element under `container` from the portfolio: money with two
 * decimals, PnL signed and coloured, the drawdown in percent.
 *
 * @param {HTMLElement} container
 * @param {PortfolioBody} portfolio
 */
export function renderSummary(container, portfolio) {
  for (const node of container.querySelectorAll("[data-metric]")) {
    const name = node.getAttribute("data-metric");
    if (name === null || !(name in METRICS)) continue;
    const metric = /** @type {keyof typeof METRICS} */ (name);
    const value = portfolio[metric];
    const kind = METRICS[metric];
    node.textContent =
      kind === "pnl"
        ? signedMoney(value)
        : kind === "percent"
          ? `${fixed(value * 100, 2)} %`
          : money(value);
    node.className = `metric-value ${kind === "pnl" ? direction(Math.round(value * 100)) : ""}`;
  }
}
