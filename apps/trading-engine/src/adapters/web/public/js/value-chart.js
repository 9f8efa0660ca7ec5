// The portfolio's total value over time, sampled by the page.
import { cssColor, themedChartOptions } from "@tse/web-kit/chart-theme.js";
import { money } from "@tse/web-kit/format.js";
import { AreaSeries, createChart, LineStyle } from "lightweight-charts";

/** @import { IChartApi, ISeriesApi, IPriceLine, UTCTimestamp } from "lightweight-charts" */

/**
 * An area chart of the portfolio's total value with a dashed line at the initial capital. The
 * engine keeps no value history, so the page records one point per second while it is open,
 * and the chart always fits the whole session.
 */
export class ValueChart {
  /** @type {IChartApi} */
  #chart;
  /** @type {ISeriesApi<"Area">} */
  #series;
  /** @type {IPriceLine | undefined} */
  #capitalLine;
  #lastTime = 0;

  /** @param {HTMLElement} container sized by CSS; the chart follows its size */
  constructor(container) {
    const accent = cssColor("--accent");
    this.#chart = createChart(container, {
      ...themedChartOptions({ secondsVisible: true }),
      localization: { priceFormatter: money },
    });
    this.#series = this.#chart.addSeries(AreaSeries, {
      lineColor: accent,
      lineWidth: 2,
      topColor: `${accent}55`,
      bottomColor: `${accent}05`,
      priceFormat: { type: "price", precision: 2, minMove: 0.01 },
    });
  }

  /**
   * Adds (or, within the same second, replaces) the point at `at`.
   *
   * @param {number} at epoch milliseconds
   * @param {number} totalValue
   * @param {number} initialCapital
   */
  record(at, totalValue, initialCapital) {
    const time = Math.floor(at / 1000);
    if (time < this.#lastTime) return;
    this.#lastTime = time;
    this.#series.update({ time: /** @type {UTCTimestamp} */ (time), value: totalValue });
    this.#chart.timeScale().fitContent();
    if (this.#capitalLine === undefined) {
      this.#capitalLine = this.#series.createPriceLine({
        price: initialCapital,
        color: cssColor("--faint"),
        lineStyle: LineStyle.Dashed,
        lineWidth: 1,
        axisLabelVisible: false,
        title: "initial capital",
      });
    }
  }
}
