import { fileURLToPath } from "node:url";
import {
  ACCESS_TEST_TOKENS,
  describeWithChromium,
  enterAccessToken,
  saveScreenshot,
  servePageInChromium,
  UNAUTHORIZED_REQUEST_LINE,
  until,
  VIEWPORTS,
} from "@tse/service-kit/testing";
import { expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));

describeWithChromium(
  "market page of a simulator protected with AUTH_TOKENS and AUTH_PROTECT_READS",
  () => {
    const served = servePageInChromium(VIEWPORTS.desktop, (spawn) =>
      spawn(entry, {
        AUTH_TOKENS: ACCESS_TEST_TOKENS.join(","),
        AUTH_PROTECT_READS: "true",
        HISTORY_BACKFILL_HOURS: "0",
        SIMULATION_SPEED: "20",
      }),
    );

    it("loads, says a token is needed, and goes live once one is entered", async () => {
      const { page } = served.watched;
      await page.goto(`${served.base}/`);
      const control = page.locator("#access-token");
      await until(async () => ((await control.getAttribute("open")) !== null ? true : undefined));
      expect(await control.locator(".token-status").textContent()).toMatch(/needs an access token/);
      expect(await page.locator("#connection").getAttribute("data-state")).not.toBe("live");

      await enterAccessToken(page, "not-the-token-0123456789");
      await until(
        async () =>
          /refused this token/.test((await control.locator(".token-status").textContent()) ?? "")
            ? true
            : undefined,
        20_000,
      );

      await enterAccessToken(page, ACCESS_TEST_TOKENS[1]);
      await page.waitForSelector('#connection[data-state="live"]', { timeout: 30_000 });
      expect(await page.locator("#quotes tbody tr").count()).toBeGreaterThan(0);
      expect(await control.locator(".token-label").textContent()).toBe("Token set");
      // The token stays in this tab only, never in the page's URL.
      expect(page.url()).not.toContain(ACCESS_TEST_TOKENS[1]);
      await saveScreenshot(page, "market-data-simulator-access-token");
    }, 90_000);

    it("starts a scenario with the token, and explains a refusal once it is forgotten", async () => {
      const { page, errors } = served.watched;
      const form = page.locator("#scenario-form");
      await form.locator('select[name="type"]').selectOption("SCENARIO_TYPE_CONSOLIDATION");
      await form.locator('button[type="submit"]').click();
      const row = page.locator("#scenarios tbody tr", { hasText: "Consolidation" });
      await until(async () => ((await row.count()) === 1 ? true : undefined));

      const control = page.locator("#access-token");
      await control.getByRole("button", { name: "Forget" }).click();
      await form.locator('button[type="submit"]').click();
      const error = page.locator("#scenario-error");
      await until(async () => ((await error.isVisible()) ? true : undefined));
      expect(await error.textContent()).toMatch(/protected: enter its access token under Token/);
      expect(await row.count()).toBe(1);
      expect(errors.filter((line) => !UNAUTHORIZED_REQUEST_LINE.test(line))).toEqual([]);
    }, 60_000);
  },
);
