import { chromium, type Browser, type BrowserContext } from "playwright-core";

/** Debian's Chromium (`npm test` installs it when missing: scripts/test-env.mjs). */
export const CHROMIUM = "/usr/bin/chromium";

/** Every wait in a browser test is bounded. */
export const BROWSER_TIMEOUT_MS = 15_000;

/**
 * A real headless Chromium for page tests: playwright-core driving the system browser, no downloads, nothing
 * but loopback. Playwright starts it with a fresh `--user-data-dir` of its own (a temp profile, removed on close).
 * Close it in `afterAll`.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000, // a cold start on a busy 2-core machine
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface LoopbackContext {
  context: BrowserContext;
  /** Requests the page tried to make to anything but `origin` (aborted): the page must make none. */
  foreign: string[];
}

/**
 * A fresh context (its own storage) whose pages may reach `origin` only; anything else is aborted and recorded.
 * note: `context.route` sees HTTP requests; WebSockets are checked by the tests themselves (`page.on("websocket")`).
 */
export async function loopbackContext(
  browser: Browser,
  origin: string,
  opts: { viewport?: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean } = {},
): Promise<LoopbackContext> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1920, height: 1080 },
    isMobile: opts.isMobile,
    hasTouch: opts.hasTouch,
    locale: "pt-BR",
    serviceWorkers: "block",
  });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  const foreign: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url === origin || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  return { context, foreign };
}
