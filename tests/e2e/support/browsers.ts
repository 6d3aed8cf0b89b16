import type { Browser, ElementHandle, Page } from 'puppeteer-core';

export type BrowserName = 'chromium' | 'firefox';

/**
 * The browsers every end-to-end scenario runs in, in this order. `E2E_BROWSERS=firefox` (comma
 * separated) narrows a local run; `npm test` runs both.
 */
export const BROWSERS: BrowserName[] = (() => {
  const all: BrowserName[] = ['chromium', 'firefox'];
  const wanted = process.env.E2E_BROWSERS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!wanted?.length) return all;
  const unknown = wanted.filter((w) => !all.includes(w as BrowserName));
  if (unknown.length) throw new Error(`E2E_BROWSERS: unknown browser ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return all.filter((b) => wanted.includes(b));
})();

/** The toolbar popup as the browser shows it (not a tab): read-only views of its form. */
export interface ToolbarPopup {
  /** `value` of the input matched by `selector`, or null when absent. */
  value(selector: string): Promise<string | null>;
  /** Text of the element matched by `selector`, or null when absent. */
  text(selector: string): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * One real browser with the production build installed, and the few things that must be done
 * differently per browser. Everything else in the suites is plain puppeteer, the same for both.
 */
export interface ExtensionBrowser {
  name: BrowserName;
  browser: Browser;
  /** Chromium: the extension id. Firefox: the add-on (gecko) id. */
  extensionId: string;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`: the origin of the extension's pages. */
  base: string;
  /** A new tab showing `url` (extension pages included), loaded. */
  openPage(url: string): Promise<Page>;
  /** The first tab (existing or upcoming) whose real address matches. */
  waitForPage(match: (url: string) => boolean, timeout?: number): Promise<Page>;
  /** The real address of every open tab. */
  pageUrls(): Promise<string[]>;
  /** Make `origin` grantable without a prompt (headless browsers cannot show one). */
  grantHostPermission(origin: string): Promise<void>;
  /** Open the real toolbar popup for the window of `tab`, with `tab` active. */
  openToolbarPopup(tab: Page): Promise<ToolbarPopup>;
  /** Wait for an element inside the closed shadow root of `host` (ARIA selectors work). */
  waitForInClosedShadow(page: Page, host: string, selector: string, timeout?: number): Promise<ElementHandle<Element>>;
  /** Everything a person can read on the page, closed shadow roots included. */
  readableText(page: Page): Promise<string>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `probe` until it returns a value other than null/undefined, or fail after `timeout`. */
export async function pollFor<T>(probe: () => Promise<T | null | undefined>, timeout: number, what: string, every = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() - started > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(every);
  }
}

/**
 * Navigate `page` to `url` and wait until it has loaded. Firefox over WebDriver BiDi loads
 * `moz-extension://` pages but never reports the navigation as finished (docs/browsers.md "Driving
 * Firefox ESR with puppeteer"), so there: start it, ignore the navigation promise, poll the page.
 */
export async function gotoPage(page: Page, url: string, timeout = 15_000): Promise<void> {
  if (!url.startsWith('moz-extension://')) {
    await page.goto(url, { timeout });
    return;
  }
  await page.goto(url, { timeout: 250 }).catch(() => undefined);
  await page.waitForFunction((u) => location.href === u && document.readyState === 'complete', { timeout, polling: 50 }, url);
}
