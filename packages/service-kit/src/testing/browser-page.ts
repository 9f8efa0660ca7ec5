import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { repoRoot, type SpawnedService, spawnService } from "./spawn-service.js";

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

/** A service's page that one suite drives in chromium (see {@link servePageInChromium}). */
export interface ServedPage {
  /** `http://127.0.0.1:<HTTP port>` of the service serving the page. */
  readonly base: string;
  /** The service serving the page: the one the suite's `start` returned. */
  readonly service: SpawnedService;
  readonly browser: Browser;
  /** The suite's page, at its viewport, watched for errors. */
  readonly watched: WatchedPage;
  /** Spawns a service (as {@link spawnService}) that is killed after all, like those of `start`. */
  spawn(entry: string, env?: Record<string, string>): Promise<SpawnedService>;
}

/**
 * Sets up a suite that drives a service's page in chromium. Before all, `start` spawns what the
 * page needs through the `spawn` it is given (waiting for whatever must be ready) and returns
 * the service serving the page; then chromium is launched and a watched page opened at
 * `viewport`. After all, the browser is closed and every service spawned is killed, the last
 * spawned first. The fields are there once the suite's `beforeAll` ran.
 */
export function servePageInChromium(
  viewport: { readonly width: number; readonly height: number },
  start: (spawn: ServedPage["spawn"]) => Promise<SpawnedService>,
): ServedPage {
  const spawned: SpawnedService[] = [];
  const spawn = async (entry: string, env: Record<string, string> = {}) => {
    const service = await spawnService(entry, env);
    spawned.push(service);
    return service;
  };
  let opened: Omit<ServedPage, "spawn"> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const service = await start(spawn);
    browser = await launchChromium();
    opened = {
      base: `http://127.0.0.1:${service.httpPort}`,
      service,
      browser,
      watched: await openWatchedPage(browser, viewport),
    };
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const service of spawned.reverse()) await service.stop("SIGKILL");
  });
  const ready = () => {
    if (opened === undefined) throw new Error("the page is opened in the suite's beforeAll");
    return opened;
  };
  return {
    get base() {
      return ready().base;
    },
    get service() {
      return ready().service;
    },
    get browser() {
      return ready().browser;
    },
    get watched() {
      return ready().watched;
    },
    spawn,
  };
}

/** Chromium's console line for a request the service refused with 401 (no or a wrong token). */
export const UNAUTHORIZED_REQUEST_LINE =
  /Failed to load resource: the server responded with a status of 401/;

/** Enters `token` in the page kit's Token control (`#access-token`) and uses it. */
export async function enterAccessToken(page: Page, token: string): Promise<void> {
  const control = page.locator("#access-token");
  await control.locator('input[name="token"]').fill(token);
  await control.getByRole("button", { name: "Use" }).click();
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
