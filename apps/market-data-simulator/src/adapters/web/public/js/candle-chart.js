// The candlestick chart with volume of one symbol and interval, live from StreamCandles.

import { cssColor, themedChartOptions } from "@tse/web-kit/chart-theme.js";
import { serverStream } from "@tse/web-kit/connect.js";
import { decimalsOf, fixed } from "@tse/web-kit/format.js";
import { getJson } from "@tse/web-kit/rest.js";
import { backoffMs, sleep } from "@tse/web-kit/retry.js";
import {
  CandlestickSeries,
  CrosshairMode,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
} from "lightweight-charts";

/**
 * @import { IChartApi, ISeriesApi, ISeriesMarkersPluginApi, SeriesMarker, Time, UTCTimestamp } from "lightweight-charts"
 * @typedef {import("@tse/web-kit/connection-status.js").LinkState} LinkState
 * @typedef {"1m" | "5m" | "15m" | "1h" | "4h" | "1d"} Interval
 */

/**
 * A candle of `StreamCandles` in the protobuf JSON mapping (unset zero values are omitted).
 *
 * @typedef {object} StreamedCandle
 * @property {string} startTime RFC 3339
 * @property {number} [open]
 * @property {number} [high]
 * @property {number} [low]
 * @property {number} [close]
 * @property {number} [volume]
 */

/**
 * A candle of `/api/v1/market/history/{asset}`.
 *
 * @typedef {{ time: number, open: number, high: number, low: number, close: number, volume: number }} HistoryCandle
 */

/**
 * A scenario start to mark on the chart.
 *
 * @typedef {object} ChartEvent
 * @property {number} at epoch milliseconds
 * @property {string} label
 * @property {"up" | "down" | "neutral"} tendency which way the event pushes the price
 */

/** @type {Record<Interval, { seconds: number, rpc: string }>} */
const INTERVALS = {
  "1m": { seconds: 60, rpc: "INTERVAL_1M" },
  "5m": { seconds: 300, rpc: "INTERVAL_5M" },
  "15m": { seconds: 900, rpc: "INTERVAL_15M" },
  "1h": { seconds: 3_600, rpc: "INTERVAL_1H" },
  "4h": { seconds: 14_400, rpc: "INTERVAL_4H" },
  "1d": { seconds: 86_400, rpc: "INTERVAL_1D" },
};

/** Candles loaded when a symbol or interval is shown. */
const HISTORY_LIMIT = 400;

/**
 * `#rrggbb` at `alpha` opacity, as `rgba(…)` (the chart parses colours itself: no `color-mix`).
 *
 * @param {string} hex
 * @param {number} alpha
 */
const withAlpha = (hex, alpha) => {
  const rgb = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  return `rgba(${rgb.join(", ")}, ${alpha})`;
};

/**
 * A lightweight-charts candlestick chart with a volume histogram under it. {@link show} loads
 * the history of a symbol and interval from REST and then follows `StreamCandles` over Connect,
 * so the open candle moves with every tick and closed candles stay final; a broken stream is
 * reported as `reconnecting` and re-opened with backoff (history reloaded, so no gap is left).
 */
export class CandleChart {
  /** @type {IChartApi} */
  #chart;
  /** @type {ISeriesApi<"Candlestick">} */
  #candles;
  /** @type {ISeriesApi<"Histogram">} */
  #volume;
  /** @type {ISeriesMarkersPluginApi<Time>} */
  #markers;
  /** @type {AbortController | undefined} */
  #running;
  #lastTime = 0;
  #firstTime = 0;
  #intervalSeconds = 60;
  /** @type {readonly ChartEvent[]} */
  #events = [];
  #onState;
  #up = cssColor("--up");
  #down = cssColor("--down");

  /**
   * @param {HTMLElement} container sized by CSS; the chart follows its size
   * @param {(state: LinkState) => void} onState
   */
  constructor(container, onState) {
    this.#onState = onState;
    this.#chart = createChart(container, {
      ...themedChartOptions({ secondsVisible: false }),
      crosshair: { mode: CrosshairMode.Normal },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      upColor: this.#up,
      downColor: this.#down,
      wickUpColor: this.#up,
      wickDownColor: this.#down,
      borderVisible: false,
    });
    this.#candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.26 } });
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceFormat: { type: "volume" },
      priceScaleId: "volume",
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.#volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.#markers = createSeriesMarkers(this.#candles, []);
  }

  /**
   * Shows `symbol` at `interval`, replacing what was shown, and follows it live until the next
   * call.
   *
   * @param {string} symbol
   * @param {Interval} interval
   * @param {number} tickSize the symbol's price increment, for the price scale
   */
  show(symbol, interval, tickSize) {
    this.#running?.abort();
    const running = new AbortController();
    this.#running = running;
    this.#intervalSeconds = INTERVALS[interval].seconds;
    const precision = decimalsOf(tickSize);
    this.#candles.applyOptions({ priceFormat: { type: "price", precision, minMove: tickSize } });
    this.#chart.applyOptions({
      localization: { priceFormatter: (/** @type {number} */ p) => fixed(p, precision) },
    });
    this.#candles.setData([]);
    this.#volume.setData([]);
    this.#lastTime = 0;
    void this.#follow(symbol, interval, running.signal);
  }

  /**
   * Marks these events (scenario starts) on the candles they fall in.
   *
   * @param {readonly ChartEvent[]} events
   */
  mark(events) {
    this.#events = events;
    this.#renderMarkers();
  }

  /**
   * @param {string} symbol
   * @param {Interval} interval
   * @param {AbortSignal} signal
   */
  async #follow(symbol, interval, signal) {
    const request = { symbols: [symbol], intervals: [INTERVALS[interval].rpc] };
    let attempt = 0;
    while (!signal.aborted) {
      try {
        let first = true;
        /** @type {AsyncGenerator<{ candles?: StreamedCandle[] }>} */
        const stream = serverStream(
          "marketdata.v1.MarketDataService/StreamCandles",
          request,
          signal,
        );
        for await (const batch of stream) {
          // History is loaded once the stream is open, so nothing closes unseen in between.
          if (first) {
            await this.#loadHistory(symbol, interval, signal);
            first = false;
            attempt = 0;
            this.#onState("live");
          }
          for (const candle of batch.candles ?? []) this.#applyStreamed(candle);
        }
      } catch {
        // Reported below; an abort ends the loop.
      }
      if (signal.aborted) return;
      this.#onState("reconnecting");
      await sleep(backoffMs(attempt++), signal);
    }
  }

  /**
   * @param {string} symbol
   * @param {Interval} interval
   * @param {AbortSignal} signal
   */
  async #loadHistory(symbol, interval, signal) {
    /** @type {{ data: HistoryCandle[] }} */
    const history = await getJson(
      `/api/v1/market/history/${encodeURIComponent(symbol)}?interval=${interval}&limit=${HISTORY_LIMIT}`,
      signal,
    );
    if (signal.aborted) return;
    this.#candles.setData(
      history.data.map((c) => ({ ...c, time: /** @type {UTCTimestamp} */ (c.time) })),
    );
    this.#volume.setData(
      history.data.map((c) => this.#volumeBar(c.time, c.open, c.close, c.volume)),
    );
    this.#firstTime = history.data[0]?.time ?? 0;
    this.#lastTime = history.data.at(-1)?.time ?? 0;
    this.#renderMarkers();
  }

  /** @param {StreamedCandle} candle */
  #applyStreamed(candle) {
    const time = Math.floor(Date.parse(candle.startTime) / 1000);
    // A candle older than the last bar was already final in the history.
    if (time < this.#lastTime) return;
    const open = candle.open ?? 0;
    const close = candle.close ?? 0;
    const bar = {
      time: /** @type {UTCTimestamp} */ (time),
      open,
      high: candle.high ?? 0,
      low: candle.low ?? 0,
      close,
    };
    this.#candles.update(bar);
    this.#volume.update(this.#volumeBar(time, open, close, candle.volume ?? 0));
    if (this.#firstTime === 0) this.#firstTime = time;
    const added = time > this.#lastTime;
    this.#lastTime = time;
    if (added) this.#renderMarkers();
  }

  /**
   * @param {number} time
   * @param {number} open
   * @param {number} close
   * @param {number} volume
   */
  #volumeBar(time, open, close, volume) {
    return {
      time: /** @type {UTCTimestamp} */ (time),
      value: volume,
      color: withAlpha(close >= open ? this.#up : this.#down, 0.45),
    };
  }

  #renderMarkers() {
    /** @type {SeriesMarker<Time>[]} */
    const markers = [];
    for (const event of this.#events) {
      const time = Math.floor(event.at / 1000 / this.#intervalSeconds) * this.#intervalSeconds;
      if (time < this.#firstTime || time > this.#lastTime) continue;
      markers.push({
        time: /** @type {UTCTimestamp} */ (time),
        position: event.tendency === "up" ? "belowBar" : "aboveBar",
        shape:
          event.tendency === "up" ? "arrowUp" : event.tendency === "down" ? "arrowDown" : "circle",
        color: cssColor("--warn"),
        text: event.label,
      });
    }
    markers.sort((a, b) => Number(a.time) - Number(b.time));
    this.#markers.setMarkers(markers);
  }
}
