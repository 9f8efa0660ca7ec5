import { fileURLToPath } from "node:url";
import {
  describeWithChromium,
  openWatchedPage,
  paintedPixels,
  type ServedPage,
  saveScreenshot,
  servePageInChromium,
  until,
  VIEWPORTS,
} from "@tse/service-kit/testing";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const instance = "market-data-sim-web";
/** The theme's --up and --down: the colours of rising and falling candles. */
const UP: [number, number, number] = [0x1f, 0xc2, 0x7e];
const DOWN: [number, number, number] = [0xf2, 0x49, 0x5e];
/** Chromium's own console lines for requests that failed while the service was down. */
const NETWORK_FAILURE = /Failed to load resource|net::ERR_/;

/** Starts the simulator fast-forwarded (a 1m candle every 3 s) with two hours of history. */
const startSimulator = (spawn: ServedPage["spawn"], env: Record<string, string> = {}) =>
  spawn(entry, {
    SERVICE_INSTANCE_NAME: instance,
    HISTORY_BACKFILL_HOURS: "2",
    SIMULATION_SPEED: "20",
    SIMULATION_SEED: "42",
    ...env,
  });

/** The last price in the quotes table, as a number. */
async function lastPrice(page: Page, symbol: string): Promise<number> {
  const text = await page.locator(`#quotes tr[data-symbol="${symbol}"] td.last`).textContent();
  return Number((text ?? "").replaceAll(",", ""));
}

describeWithChromium("market data simulator web page in chromium", () => {
  const served = servePageInChromium(VIEWPORTS.desktop, (spawn) => startSimulator(spawn));

  it("serves the page, its scripts and the chart library from the service itself", async () => {
    const page = await fetch(`${served.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain(
      '"lightweight-charts": "/web/vendor/lightweight-charts.mjs"',
    );
    for (const path of [
      "/web/js/main.js",
      "/web/market.css",
      "/web/kit/theme.css",
      "/web/kit/connect.js",
      "/web/vendor/lightweight-charts.mjs",
    ]) {
      const response = await fetch(`${served.base}${path}`);
      expect(response.status, path).toBe(200);
      await response.arrayBuffer();
    }
  });

  it("shows the identity, draws candles and volume, and the quotes, book and tape move (1280×800)", async () => {
    const { page, errors } = served.watched;
    await page.goto(`${served.base}/`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
    expect(await page.locator('#identity [data-field="service"]').textContent()).toBe(
      "market-data-simulator",
    );
    expect(await page.locator('#identity [data-field="instance"]').textContent()).toBe(instance);
    expect(await page.locator('#identity [data-field="version"]').textContent()).toMatch(
      /^\d+\.\d+\.\d+/,
    );

    // Two hours of 1m candles: many pixels of both candle colours on the chart's pane.
    const painted = await until(async () => {
      const up = await paintedPixels(page, "#chart", UP);
      const down = await paintedPixels(page, "#chart", DOWN);
      return up.matching > 500 && down.matching > 500 ? up : undefined;
    }, 20_000);
    expect(painted.canvases).toBeGreaterThanOrEqual(3);
    expect(painted.largest.width).toBeGreaterThan(600);
    expect(painted.largest.height).toBeGreaterThan(300);

    const symbols = await page
      .locator("#quotes tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => (row as unknown as { dataset: { symbol: string } }).dataset.symbol),
      );
    expect(symbols).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    const first = await lastPrice(page, "BTC-USD");
    expect(first).toBeGreaterThan(0);
    await until(async () => ((await lastPrice(page, "BTC-USD")) !== first ? true : undefined));
    expect(
      await page.locator("#quotes tbody tr .pill.up, #quotes tbody tr .pill.down").count(),
    ).toBe(3);

    await until(async () =>
      (await page.locator("#book tbody.asks tr").count()) === 10 &&
      (await page.locator("#book tbody.bids tr").count()) === 10 &&
      (await page.locator("#trades tbody tr").count()) > 0
        ? true
        : undefined,
    );
    expect(await page.locator("#book-spread").textContent()).toMatch(
      /^spread [\d.,]+ · [\d.]+ bps$/,
    );

    // Another interval reloads the chart, which draws again.
    await page.click('#intervals button[data-interval="5m"]');
    expect(page.url()).toContain("interval=5m");
    await until(async () =>
      (await paintedPixels(page, "#chart", UP)).matching > 200 ? true : undefined,
    );
    await page.click('#intervals button[data-interval="1m"]');
    await saveScreenshot(page, "market-data-simulator-desktop");
    expect(errors).toEqual([]);
  }, 90_000);

  it("starts a scenario that moves the price, lists it, and stops another one", async () => {
    const { page, errors } = served.watched;
    const before = await lastPrice(page, "BTC-USD");
    const form = page.locator("#scenario-form");
    await form.locator('select[name="type"]').selectOption("SCENARIO_TYPE_RALLY");
    await form.locator('select[name="scope"]').selectOption("selected");
    await form.locator('input[name="intensity"]').fill("4");
    await form.locator('input[name="duration"]').fill("120");
    await form.locator('button[type="submit"]').click();

    // A rally of intensity 4 lifts the price by about 20 % over its two simulated minutes (6 s).
    const rally = page.locator("#scenarios tbody tr", { hasText: "Rally" });
    await until(async () => ((await rally.count()) === 1 ? true : undefined));
    expect(await rally.locator("td").nth(1).textContent()).toBe("BTC-USD");
    await until(async () =>
      (await lastPrice(page, "BTC-USD")) > before * 1.08 ? true : undefined,
    );

    await form.locator('select[name="type"]').selectOption("SCENARIO_TYPE_CONSOLIDATION");
    await form.locator('select[name="scope"]').selectOption("all");
    await form.locator('input[name="duration"]').fill("3600");
    await form.locator('button[type="submit"]').click();
    const consolidation = page.locator("#scenarios tbody tr", { hasText: "Consolidation" });
    await until(async () =>
      (await consolidation.getAttribute("data-status")) === "active" ? true : undefined,
    );
    expect(await consolidation.locator("td").nth(1).textContent()).toBe("all");
    await saveScreenshot(page, "market-data-simulator-scenarios");
    await consolidation.getByRole("button", { name: "Stop" }).click();
    await until(async () =>
      (await consolidation.getAttribute("data-status")) === "stopped" ? true : undefined,
    );
    expect(await consolidation.getByRole("button").count()).toBe(0);
    expect(await page.locator("#scenario-error").isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);

  it("is usable on a 390 px wide phone", async () => {
    const phone = await openWatchedPage(served.browser, VIEWPORTS.phone);
    try {
      const { page, errors } = phone;
      await page.goto(`${served.base}/?symbol=ETH-USD&interval=1m`);
      await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
      expect(await page.locator("#symbol").inputValue()).toBe("ETH-USD");
      await until(async () =>
        (await paintedPixels(page, "#chart", UP)).matching > 200 ? true : undefined,
      );
      // Nothing wider than the screen: no sideways scrolling, the quotes' last column visible.
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      const change = await page.locator('#quotes tr[data-symbol="ETH-USD"] .pill').boundingBox();
      expect((change?.x ?? 999) + (change?.width ?? 0)).toBeLessThanOrEqual(390);
      const start = await page.locator('#scenario-form button[type="submit"]').boundingBox();
      expect((start?.x ?? 999) + (start?.width ?? 0)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, "market-data-simulator-phone");
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it("says it is reconnecting while the service is down, and goes live again when it is back", async () => {
    const { page, errors } = served.watched;
    const port = served.service.httpPort;
    const errorsBefore = errors.length;
    expect(await served.service.stop("SIGTERM")).toBe(0);
    await page.waitForSelector('#connection[data-state="reconnecting"]', { timeout: 30_000 });
    await page.waitForSelector("#chart-overlay:not([hidden])", { timeout: 30_000 });
    expect(await page.locator("#connection .label").textContent()).toBe("Reconnecting…");
    await saveScreenshot(page, "market-data-simulator-reconnecting");

    await startSimulator(served.spawn, { HTTP_PORT: String(port) });
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 60_000 });
    await page.waitForSelector("#chart-overlay[hidden]", { state: "attached", timeout: 30_000 });
    const first = await lastPrice(page, "BTC-USD");
    await until(async () => ((await lastPrice(page, "BTC-USD")) !== first ? true : undefined));
    // While it was down, only chromium's own lines about the refused requests.
    expect(errors.slice(errorsBefore).filter((line) => !NETWORK_FAILURE.test(line))).toEqual([]);
  }, 120_000);
});
