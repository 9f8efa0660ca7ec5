import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { describe, it } from "vitest";
import { repoRoot } from "./spawn-service.js";

/** Debian's chromium (installed by tools/scripts/ensure-chromium.sh); never a downloaded one. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where browser tests save their screenshots (a CI artifact; git-ignored). */
export const SCREENSHOT_DIR = join(repoRoot, "test-results", "screenshots");

/** The two viewports every page must be usable at: a laptop and a narrow phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * `describe` for suites that drive a real browser: skipped with a loud warning when chromium is
 * missing locally, and a failing suite when `CI=true`, so CI never passes without running them.
 */
export function describeWithChromium(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, suite);
    return;
  }
  const message = `no chromium at ${CHROMIUM_PATH}: install it with bash tools/scripts/ensure-chromium.sh`;
  if (process.env.CI === "true" || process.env.CI === "1") {
    describe(name, () => {
      it("needs chromium", () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n!!! ${name}: browser tests are SKIPPED (${message}).\n`);
  describe.skip(name, suite);
}

/** Starts headless chromium with the flags a container without a GPU or a sandbox needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

/** A page in a fresh browser context that records every console error and uncaught exception. */
export interface WatchedPage {
  readonly page: Page;
  /** Console messages of type `error` and uncaught page exceptions, in order. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens a page at `viewport` in its own context (no shared cache or storage), watching errors. */
export async function openWatchedPage(
  browser: Browser,
  viewport: { readonly width: number; readonly height: number },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return { page, errors, close: () => context.close() };
}

/**
 * Saves a full-page screenshot as `test-results/screenshots/<name>.png`; returns its path. The
 * page is scrolled to the top first, where sticky headers belong in a full-page image.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate("window.scrollTo(0, 0)");
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * How many pixels of a chart's drawing area under `selector` are painted in a colour near `rgb`
 * (within 24 per channel): a chart that drew its candles or its line has many, an empty or blank
 * one none. The drawing area is the largest canvas (lightweight-charts puts its axes on smaller
 * ones; a pane's layers share its size). Also reports the canvases and the largest size.
 */
export function paintedPixels(
  page: Page,
  selector: string,
  rgb: readonly [number, number, number],
): Promise<{ canvases: number; largest: { width: number; height: number }; matching: number }> {
  return page.evaluate(
    ({ selector, rgb }) => {
      // Runs in the page; node's type library has no DOM, so the canvas is described here.
      interface Canvas {
        width: number;
        height: number;
        getContext(kind: "2d"): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        } | null;
      }
      const { document } = globalThis as unknown as {
        document: { querySelectorAll(selector: string): Iterable<Canvas> };
      };
      const canvases = [...document.querySelectorAll(`${selector} canvas`)];
      const area = Math.max(0, ...canvases.map((canvas) => canvas.width * canvas.height));
      const largest = canvases.find((canvas) => canvas.width * canvas.height === area);
      let matching = 0;
      for (const canvas of canvases) {
        const context = canvas.getContext("2d");
        if (area === 0 || canvas.width * canvas.height !== area || context === null) continue;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          if (
            Math.abs((data[i] ?? 0) - rgb[0]) < 24 &&
            Math.abs((data[i + 1] ?? 0) - rgb[1]) < 24 &&
            Math.abs((data[i + 2] ?? 0) - rgb[2]) < 24
          ) {
            matching += 1;
          }
        }
      }
      return {
        canvases: canvases.length,
        largest: { width: largest?.width ?? 0, height: largest?.height ?? 0 },
        matching,
      };
    },
    { selector, rgb },
  );
}
