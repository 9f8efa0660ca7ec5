// The look the pages' charts share: the page theme's colours and font on lightweight-charts.
import { ColorType } from "lightweight-charts";

/** @import { DeepPartial, TimeChartOptions } from "lightweight-charts" */

/** @param {string} name a custom property of the page's theme holding a `#rrggbb` colour */
export const cssColor = (name) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888888";

/**
 * Chart options in the page's theme: sized by its container, the panel's background, muted text
 * in the page's font, grid and scale borders in the line colours, no attribution logo, times on
 * the time scale (with seconds when `secondsVisible`). A chart adds its own options on top.
 *
 * @param {{ secondsVisible: boolean }} options
 * @returns {DeepPartial<TimeChartOptions>}
 */
export function themedChartOptions({ secondsVisible }) {
  const line = cssColor("--line");
  const strongLine = cssColor("--line-strong");
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: cssColor("--panel") },
      textColor: cssColor("--muted"),
      fontFamily: getComputedStyle(document.body).fontFamily,
      fontSize: 11,
      attributionLogo: false,
    },
    grid: { vertLines: { color: line }, horzLines: { color: line } },
    rightPriceScale: { borderColor: strongLine },
    timeScale: { borderColor: strongLine, timeVisible: true, secondsVisible },
  };
}
