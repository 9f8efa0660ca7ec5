import { fileURLToPath } from "node:url";
import {
  ACCESS_TEST_TOKENS,
  describeWithChromium,
  enterAccessToken,
  repoRoot,
  saveScreenshot,
  servePageInChromium,
  UNAUTHORIZED_REQUEST_LINE,
  until,
  VIEWPORTS,
} from "@tse/service-kit/testing";
import { expect, it } from "vitest";

const engineEntry = fileURLToPath(new URL("../../main.ts", import.meta.url));
const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;

describeWithChromium("trading desk of an engine protected with AUTH_TOKENS", () => {
  const served = servePageInChromium(VIEWPORTS.phone, async (spawn) => {
    const simulator = await spawn(simulatorEntry, { HISTORY_BACKFILL_HOURS: "0" });
    return spawn(engineEntry, {
      AUTH_TOKENS: ACCESS_TEST_TOKENS.join(","),
      MARKET_DATA_URL: `http://127.0.0.1:${simulator.grpcPort}`,
    });
  });
  const breakerState = async () => {
    const risk = (await (await fetch(`${served.base}/api/v1/risk`)).json()) as {
      circuit_breaker: { state: string };
    };
    return risk.circuit_breaker.state;
  };

  it("shows everything without a token, and refuses the breaker with an explanation", async () => {
    const { page } = served.watched;
    await page.goto(`${served.base}/`);
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
    const { page, errors } = served.watched;
    await enterAccessToken(page, ACCESS_TEST_TOKENS[0]);
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
    expect(errors.filter((line) => !UNAUTHORIZED_REQUEST_LINE.test(line))).toEqual([]);
  }, 60_000);
});
