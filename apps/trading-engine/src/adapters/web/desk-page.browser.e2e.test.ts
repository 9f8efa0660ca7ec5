import { fileURLToPath } from "node:url";
import {
  describeWithChromium,
  openWatchedPage,
  paintedPixels,
  repoRoot,
  saveScreenshot,
  servePageInChromium,
  until,
  VIEWPORTS,
} from "@tse/service-kit/testing";
import type { Locator } from "playwright-core";
import { expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
const instance = "trading-engine-web";
/** The theme's --accent: the colour of the portfolio value line. */
const ACCENT: [number, number, number] = [0x4d, 0x8d, 0xff];

/** Waits until the row's `data-status` is `status`. */
const statusOf = (row: Locator, status: string) =>
  until(async () => ((await row.getAttribute("data-status")) === status ? true : undefined));

describeWithChromium("trading engine web page in chromium", () => {
  const served = servePageInChromium(VIEWPORTS.desktop, async (spawn) => {
    const simulator = await spawn(simulatorEntry, {
      HISTORY_BACKFILL_HOURS: "0",
      SIMULATION_SPEED: "20",
      SIMULATION_SEED: "7",
    });
    const engine = await spawn(engineEntry, {
      SERVICE_INSTANCE_NAME: instance,
      MARKET_DATA_URL: `http://127.0.0.1:${simulator.grpcPort}`,
      MARKET_DATA_STALE_MS: "5000",
      STRATEGY_COOLDOWN_SECONDS: "0",
    });
    const ready = `http://127.0.0.1:${engine.httpPort}/api/v1/ready`;
    await until(async () => ((await fetch(ready)).ok ? true : undefined), 60_000);
    return engine;
  });

  it("starts a market-making strategy from the form and shows its orders, fills, positions and PnL (1280×800)", async () => {
    const { page, errors } = served.watched;
    await page.goto(`${served.base}/`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
    expect(await page.locator('#identity [data-field="service"]').textContent()).toBe(
      "trading-system-engine",
    );
    expect(await page.locator('#identity [data-field="instance"]').textContent()).toBe(instance);
    expect(await page.locator("#feed-state").textContent()).toBe("market data live");
    expect(await page.locator("#strategies-empty").isVisible()).toBe(true);

    const form = page.locator("#strategy-form");
    await form.locator('select[name="type"]').selectOption("market_making");
    expect(await form.locator('fieldset[data-type="mean_reversion"]').isHidden()).toBe(true);
    await form.locator('input[name="instrument"]').fill("BTC-USD");
    await form.locator('input[name="name"]').fill("mm web");
    await form.locator('input[name="orderQuantity"]').fill("0.01");
    await form.locator('input[name="spreadBps"]').fill("2");
    await form.locator('input[name="refreshIntervalMs"]').fill("300");
    await form.locator('button[type="submit"]').click();

    const row = page.locator("#strategies tbody tr", { hasText: "mm web" });
    await statusOf(row, "active");
    expect(await row.locator("td").nth(2).textContent()).toBe("BTC-USD");
    // Quotes rest as open orders; the moving market fills some of them.
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) > 0 ? true : undefined,
    );
    await until(
      async () => ((await page.locator("#fills tbody tr").count()) > 0 ? true : undefined),
      60_000,
    );
    await until(async () =>
      (await page.locator("#positions tbody tr").count()) > 0 ? true : undefined,
    );
    expect(await page.locator('#summary [data-metric="total_value"]').textContent()).toMatch(
      /^[\d,]+\.\d\d$/,
    );
    expect(await row.locator("td").nth(4).textContent()).toMatch(/^[+−]?[\d,]+\.\d\d$/);

    // A second of samples or more draws the value line across the chart's pane.
    const painted = await until(async () => {
      const pixels = await paintedPixels(page, "#value-chart", ACCENT);
      return pixels.matching > 300 ? pixels : undefined;
    });
    expect(painted.largest.width).toBeGreaterThan(500);
    expect(painted.largest.height).toBeGreaterThan(200);
    await saveScreenshot(page, "trading-engine-desktop");
    expect(errors).toEqual([]);
  }, 120_000);

  it("pauses and resumes the strategy", async () => {
    const { page, errors } = served.watched;
    const row = page.locator("#strategies tbody tr", { hasText: "mm web" });
    await row.getByRole("button", { name: "Pause" }).click();
    await statusOf(row, "paused");
    // Pausing cancels the strategy's open orders.
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) === 0 ? true : undefined,
    );
    await row.getByRole("button", { name: "Resume" }).click();
    await statusOf(row, "active");
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) > 0 ? true : undefined,
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it("engages the circuit breaker, which cancels the open orders, and releases it", async () => {
    const { page, errors } = served.watched;
    const toggle = page.locator("#breaker-toggle");
    expect(await toggle.textContent()).toBe("Engage breaker");
    await toggle.click();
    await page.waitForSelector('#breaker[data-state="engaged"]');
    expect(await page.locator("#breaker-value").textContent()).toBe("ENGAGED");
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) === 0 ? true : undefined,
    );
    const risk = (await (await fetch(`${served.base}/api/v1/risk`)).json()) as {
      circuit_breaker: { state: string; reason: string };
    };
    expect(risk.circuit_breaker).toMatchObject({
      state: "engaged",
      reason: "engaged from the web page",
    });
    await saveScreenshot(page, "trading-engine-breaker-engaged");

    await until(async () =>
      (await toggle.textContent()) === "Release breaker" ? true : undefined,
    );
    await toggle.click();
    await page.waitForSelector('#breaker[data-state="disengaged"]');
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) > 0 ? true : undefined,
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it("is usable on a 390 px wide phone", async () => {
    const phone = await openWatchedPage(served.browser, VIEWPORTS.phone);
    try {
      const { page, errors } = phone;
      await page.goto(`${served.base}/`);
      await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
      const row = page.locator("#strategies tbody tr", { hasText: "mm web" });
      await statusOf(row, "active");
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      // The actions of a strategy are reachable without scrolling sideways.
      for (const name of ["Pause", "Stop"]) {
        const box = await row.getByRole("button", { name }).boundingBox();
        expect((box?.x ?? 999) + (box?.width ?? 0), name).toBeLessThanOrEqual(390);
      }
      const toggle = await page.locator("#breaker-toggle").boundingBox();
      expect((toggle?.x ?? 999) + (toggle?.width ?? 0)).toBeLessThanOrEqual(390);
      await until(async () =>
        (await paintedPixels(page, "#value-chart", ACCENT)).matching > 100 ? true : undefined,
      );
      await saveScreenshot(page, "trading-engine-phone");
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it("stops the strategy for good", async () => {
    const { page, errors } = served.watched;
    const row = page.locator("#strategies tbody tr", { hasText: "mm web" });
    await row.getByRole("button", { name: "Stop" }).click();
    await statusOf(row, "stopped");
    expect(await row.getByRole("button").count()).toBe(0);
    await until(async () =>
      (await page.locator("#orders tbody tr").count()) === 0 ? true : undefined,
    );
    expect(await page.locator("#strategy-error").isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it("refuses an order size BTC-USD cannot trade, saying which rule, and starts nothing", async () => {
    const { page, errors } = served.watched;
    const form = page.locator("#strategy-form");
    await form.locator('select[name="type"]').selectOption("market_making");
    await form.locator('input[name="instrument"]').fill("BTC-USD");
    await form.locator('input[name="name"]').fill("mm dust");
    await form.locator('input[name="orderQuantity"]').fill("0.000001");
    await form.locator('button[type="submit"]').click();
    const error = page.locator("#strategy-error");
    await error.waitFor({ state: "visible" });
    expect(await error.textContent()).toBe(
      "market_making.order_quantity 0.000001 cannot be traded on BTC-USD: below the minimum order size 0.00001",
    );
    const strategies = (await (await fetch(`${served.base}/api/v1/strategies`)).json()) as {
      strategies: { name: string }[];
    };
    expect(strategies.strategies.map((s) => s.name)).toEqual(["mm web"]);
    // The browser reports the refused request (HTTP 400) on its console; nothing else.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  }, 60_000);
});
