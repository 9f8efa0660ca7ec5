// The market page's composition: identity and symbols first, then every live view wired to the
// selected symbol and interval (kept in the URL, so a reload or a shared link shows the same).

import { mountAccessToken } from "@tse/web-kit/access-token.js";
import { ConnectionStatus } from "@tse/web-kit/connection-status.js";
import { byId, query } from "@tse/web-kit/dom.js";
import { decimalsOf, direction, fixed, signedPercent } from "@tse/web-kit/format.js";
import { loadHealth, showIdentity } from "@tse/web-kit/identity.js";
import { poll } from "@tse/web-kit/poller.js";
import { getJson } from "@tse/web-kit/rest.js";
import { retrying } from "@tse/web-kit/retry.js";
import { CandleChart } from "./candle-chart.js";
import { OrderBookView } from "./order-book.js";
import { PriceStream } from "./price-stream.js";
import { QuotesTable } from "./quotes-table.js";
import { ScenarioPanel } from "./scenario-panel.js";
import { TradesTape } from "./trades-tape.js";

/**
 * @typedef {import("./candle-chart.js").Interval} Interval
 * @typedef {import("./price-stream.js").PriceBody} PriceBody
 * @typedef {import("./order-book.js").OrderBookBody} OrderBookBody
 * @typedef {import("./trades-tape.js").TradesBody} TradesBody
 * @typedef {import("@tse/web-kit/identity.js").Health} Health
 * @typedef {{ symbol: string, tick_size: number }} SymbolInfo
 */

/** @type {readonly Interval[]} */
const INTERVALS = ["1m", "5m", "15m", "1h", "4h", "1d"];
const BOOK_DEPTH = 10;
const TRADES_SHOWN = 40;

const status = new ConnectionStatus(byId("connection", HTMLElement), [
  "price stream",
  "candle stream",
  "order book & trades",
  "scenarios",
]);
mountAccessToken(query(document, "header.topbar", HTMLElement));

const [health, symbols] = await retrying(
  async () => {
    /** @type {[Health, { symbols: SymbolInfo[] }]} */
    const [identity, list] = await Promise.all([loadHealth(), getJson("/api/v1/symbols")]);
    return /** @type {const} */ ([identity, list.symbols]);
  },
  () => status.report("price stream", "reconnecting"),
);
showIdentity(byId("identity", HTMLElement), health, "Market Data");

const decimals = new Map(symbols.map((s) => [s.symbol, decimalsOf(s.tick_size)]));
const tickSizes = new Map(symbols.map((s) => [s.symbol, s.tick_size]));
const params = new URLSearchParams(location.search);
const state = {
  symbol: decimals.has(params.get("symbol") ?? "")
    ? String(params.get("symbol"))
    : (symbols[0]?.symbol ?? ""),
  /** @type {Interval} */
  interval: INTERVALS.find((i) => i === params.get("interval")) ?? "1m",
};
/** @type {Map<string, PriceBody>} */
const latest = new Map();

const symbolSelect = byId("symbol", HTMLSelectElement);
symbolSelect.append(...symbols.map((s) => new Option(s.symbol, s.symbol)));
const chartLast = byId("chart-last", HTMLElement);
const chartChange = byId("chart-change", HTMLElement);
const overlay = byId("chart-overlay", HTMLElement);
const chart = new CandleChart(byId("chart", HTMLElement), (linkState) =>
  status.report("candle stream", linkState),
);
const quotes = new QuotesTable(
  byId("quotes", HTMLTableElement),
  symbols.map((s) => ({ symbol: s.symbol, decimals: decimals.get(s.symbol) ?? 2 })),
  (symbol) => select(symbol, state.interval),
);
const book = new OrderBookView(byId("book", HTMLTableElement), byId("book-spread", HTMLElement));
const tape = new TradesTape(byId("trades", HTMLTableElement));
const scenarios = new ScenarioPanel(
  {
    form: byId("scenario-form", HTMLFormElement),
    error: byId("scenario-error", HTMLElement),
    table: byId("scenarios", HTMLTableElement),
    empty: byId("scenarios-empty", HTMLElement),
  },
  {
    selectedSymbol: () => state.symbol,
    symbolCount: symbols.length,
    simulatedNow: () => Math.max(0, ...[...latest.values()].map((q) => q.timestamp)),
    onScenarios: (events) => chart.mark(events),
    onState: (linkState) => status.report("scenarios", linkState),
  },
);

status.onChange((states) => {
  overlay.hidden = ![states.get("price stream"), states.get("candle stream")].includes(
    "reconnecting",
  );
});

/** Shows the charted symbol's last price and 24h change above the chart. */
function renderChartHeader() {
  const quote = latest.get(state.symbol);
  if (quote === undefined) return;
  chartLast.textContent = fixed(quote.price, decimals.get(state.symbol) ?? 2);
  chartChange.textContent = `${signedPercent(quote.change_percent_24h)} 24h`;
  chartChange.className = `change ${direction(quote.change_percent_24h)}`;
}

/** @type {import("@tse/web-kit/poller.js").Polling | undefined} */
let bookPolling;
let polledSymbol = "";

/**
 * Charts `symbol` at `interval` and points the book, the tape and the URL at it.
 *
 * @param {string} symbol
 * @param {Interval} interval
 */
function select(symbol, interval) {
  state.symbol = symbol;
  state.interval = interval;
  history.replaceState(null, "", `?symbol=${encodeURIComponent(symbol)}&interval=${interval}`);
  symbolSelect.value = symbol;
  quotes.select(symbol);
  for (const button of document.querySelectorAll("#intervals button")) {
    button.setAttribute("aria-pressed", String(button.getAttribute("data-interval") === interval));
  }
  byId("book-symbol", HTMLElement).textContent = symbol;
  byId("trades-symbol", HTMLElement).textContent = symbol;
  chart.show(symbol, interval, tickSizes.get(symbol) ?? 0.01);
  renderChartHeader();
  scenarios.render();
  if (symbol === polledSymbol) return;
  polledSymbol = symbol;
  bookPolling?.stop();
  const path = encodeURIComponent(symbol);
  const places = decimals.get(symbol) ?? 2;
  bookPolling = poll(
    async (signal) => {
      /** @type {[OrderBookBody, TradesBody]} */
      const [levels, trades] = await Promise.all([
        getJson(`/api/v1/market/orderbook/${path}?depth=${BOOK_DEPTH}`, signal),
        getJson(`/api/v1/market/trades/${path}?limit=${TRADES_SHOWN}`, signal),
      ]);
      if (signal.aborted) return;
      book.render(levels, places);
      tape.render(trades, places);
    },
    1_000,
    (linkState) => status.report("order book & trades", linkState),
  );
}

symbolSelect.addEventListener("change", () => select(symbolSelect.value, state.interval));
for (const button of document.querySelectorAll("#intervals button")) {
  button.addEventListener("click", () => {
    const interval = INTERVALS.find((i) => i === button.getAttribute("data-interval"));
    if (interval !== undefined) select(state.symbol, interval);
  });
}

new PriceStream(
  (updates) => {
    for (const quote of updates) latest.set(quote.symbol, quote);
    quotes.update(updates);
    if (updates.some((quote) => quote.symbol === state.symbol)) renderChartHeader();
  },
  (linkState) => status.report("price stream", linkState),
).start();
select(state.symbol, state.interval);
scenarios.start();
