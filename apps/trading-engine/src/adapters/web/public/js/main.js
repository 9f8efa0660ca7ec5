// The trading desk page's composition: every view refreshed from the engine's REST reads once a
// second, and actions through its Connect RPCs followed by an immediate refresh.
import { mountAccessToken } from "@tse/web-kit/access-token.js";
import { ConnectionStatus } from "@tse/web-kit/connection-status.js";
import { byId, query } from "@tse/web-kit/dom.js";
import { loadHealth, showIdentity } from "@tse/web-kit/identity.js";
import { poll } from "@tse/web-kit/poller.js";
import { getJson } from "@tse/web-kit/rest.js";
import { retrying } from "@tse/web-kit/retry.js";
import { renderFills } from "./fills-table.js";
import { OrdersTable } from "./orders-table.js";
import { renderPositions } from "./positions-table.js";
import { RiskPanel } from "./risk-panel.js";
import { StrategiesTable } from "./strategies-table.js";
import { StrategyForm } from "./strategy-form.js";
import { renderSummary } from "./summary-view.js";
import { ValueChart } from "./value-chart.js";

/**
 * @typedef {import("./desk-types.js").StrategyBody} StrategyBody
 * @typedef {import("./desk-types.js").PositionBody} PositionBody
 * @typedef {import("./desk-types.js").OrderBody} OrderBody
 * @typedef {import("./desk-types.js").PortfolioBody} PortfolioBody
 * @typedef {import("./desk-types.js").RiskBody} RiskBody
 */

const REFRESH_MS = 1_000;
/** Orders read for the fills table: the fills of the newest orders are the newest fills. */
const RECENT_ORDERS = 200;
const FILLS_SHOWN = 40;

const status = new ConnectionStatus(byId("connection", HTMLElement), ["trading engine"]);
mountAccessToken(query(document, "header.topbar", HTMLElement));
const feedState = byId("feed-state", HTMLElement);
/** @type {import("@tse/web-kit/poller.js").Polling | undefined} */
let polling;
const refresh = () => polling?.refresh();

const chart = new ValueChart(byId("value-chart", HTMLElement));
const risk = new RiskPanel(
  {
    breaker: byId("breaker", HTMLElement),
    value: byId("breaker-value", HTMLElement),
    reason: byId("breaker-reason", HTMLElement),
    toggle: byId("breaker-toggle", HTMLButtonElement),
    error: byId("breaker-error", HTMLElement),
    limits: byId("limits", HTMLElement),
    rejections: byId("risk-rejections", HTMLElement),
  },
  refresh,
);
const strategyError = byId("strategy-error", HTMLElement);
new StrategyForm(byId("strategy-form", HTMLFormElement), strategyError, refresh);
const strategies = new StrategiesTable(
  {
    table: byId("strategies", HTMLTableElement),
    empty: byId("strategies-empty", HTMLElement),
    error: strategyError,
  },
  refresh,
);
const orders = new OrdersTable(
  {
    table: byId("orders", HTMLTableElement),
    empty: byId("orders-empty", HTMLElement),
    count: byId("orders-count", HTMLElement),
    error: byId("orders-error", HTMLElement),
  },
  refresh,
);

const health = await retrying(loadHealth, () => status.report("trading engine", "reconnecting"));
showIdentity(byId("identity", HTMLElement), health, "Trading Desk");

polling = poll(
  async (signal) => {
    /** @type {[{ strategies: StrategyBody[] }, { positions: PositionBody[] }, { orders: OrderBody[] }, { orders: OrderBody[] }, PortfolioBody, RiskBody]} */
    const [list, positions, open, recent, portfolio, riskStatus] = await Promise.all([
      getJson("/api/v1/strategies", signal),
      getJson("/api/v1/positions", signal),
      getJson("/api/v1/orders?status=open&limit=1000", signal),
      getJson(`/api/v1/orders?limit=${RECENT_ORDERS}`, signal),
      getJson("/api/v1/portfolio", signal),
      getJson("/api/v1/risk", signal),
    ]);
    if (signal.aborted) return;
    renderSummary(byId("summary", HTMLElement), portfolio);
    chart.record(Date.parse(portfolio.timestamp), portfolio.total_value, portfolio.initial_capital);
    risk.render(riskStatus);
    strategies.render(list.strategies);
    renderPositions(
      { table: byId("positions", HTMLTableElement), empty: byId("positions-empty", HTMLElement) },
      positions.positions,
      list.strategies,
    );
    orders.render(open.orders);
    renderFills(
      { table: byId("fills", HTMLTableElement), empty: byId("fills-empty", HTMLElement) },
      recent.orders,
      FILLS_SHOWN,
    );
    feedState.textContent = riskStatus.market_data.stale ? "market data stale" : "market data live";
    feedState.className = `badge ${riskStatus.market_data.stale ? "warn" : "good"}`;
  },
  REFRESH_MS,
  (linkState) => status.report("trading engine", linkState),
);
