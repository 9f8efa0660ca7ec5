import { fileURLToPath } from "node:url";
import {
  ACCESS_TEST_TOKENS,
  describeWithChromium,
  launchChromium,
  openWatchedPage,
  repoRoot,
  type SpawnedService,
  saveScreenshot,
  spawnService,
  until,
  VIEWPORTS,
  type WatchedPage,
} from "@tse/service-kit/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;
/** Chromium's own console lines for the refused (401) requests: expected here. */
const REFUSED_REQUEST = /Failed to load resource: the server responded with a status of 401/;

describeWithChromium("trading desk of an engine protected with AUTH_TOKENS", () => {
  let simulator: SpawnedService | undefined;
  let engine: SpawnedService | undefined;
  let browser: Browser;
  let watched: WatchedPage;
  let base: string;
  const breakerState = async () => {
    const risk = (await (await fetch(`${base}/api/v1/risk`)).json()) as {
      circuit_breaker: { state: string };
    };
    return risk.circuit_breaker.state;
  };

  beforeAll(async () => {
    simulator = await spawnService(simulatorEntry, { HISTORY_BACKFILL_HOURS: "0" });
    engine = await spawnService(engineEntry, {
      AUTH_TOKENS: ACCESS_TEST_TOKENS.join(","),
      MARKET_DATA_URL: `http://127.0.0.1:${simulator.grpcPort}`,
    });
    base = `http://127.0.0.1:${engine.httpPort}`;
    browser = await launchChromium();
    watched = await openWatchedPage(browser, VIEWPORTS.phone);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await engine?.stop("SIGKILL");
    await simulator?.stop("SIGKILL");
  });

  it("shows everything without a token, and refuses the breaker with an explanation", async () => {
    const { page } = watched;
    await page.goto(`${base}/`);
    await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
    const before = await breakerState();
    const toggle = page.locator("#breaker-toggle");
    await until(async () => ((await toggle.isEnabled()) ? true : undefined));
    await toggle.click();
    const error = page.locator("#breaker-error");
    await until(async () => ((await error.isVisible()) ? true : undefined));
    expect(await error.textContent()).toMatch(/protected: enter its access token under Token/);
    expect(await page.locator("#access-token").getAttribute("open")).not.toBeNull();
    expect(await breakerState()).toBe(before);
    await saveScreenshot(page, "trading-engine-access-refused-phone");
  }, 60_000);

  it("engages and releases the breaker once the token is entered", async () => {
    const { page, errors } = watched;
    const control = page.locator("#access-token");
    await control.locator('input[name="token"]').fill(ACCESS_TEST_TOKENS[0]);
    await control.getByRole("button", { name: "Use" }).click();
    await page.locator("#breaker-toggle").click();
    await page.waitForSelector('#breaker[data-state="engaged"]');
    expect(await breakerState()).toBe("engaged");
    await until(async () =>
      (await page.locator("#breaker-toggle").textContent()) === "Release breaker"
        ? true
        : undefined,
    );
    await page.locator("#breaker-toggle").click();
    await page.waitForSelector('#breaker[data-state="disengaged"]');
    expect(await page.locator("#breaker-error").isHidden()).toBe(true);
    expect(errors.filter((line) => !REFUSED_REQUEST.test(line))).toEqual([]);
  }, 60_000);
});
