/**
 * Popup paint and interactivity, side by side with blank.html opened the same way (fresh tab,
 * same browser run, alternating so drift hits both alike). Headless Chromium cannot open the real
 * toolbar popup, so popup.html is opened in a tab, as the e2e tests do.
 *
 * "Interactive" = a button the user can act on is in the DOM and enabled: the form's Connect
 * button, the not-configured "Open settings" button or a finished flow's dismiss button. Preact
 * attaches the handler in the same render that inserts the button. A MutationObserver installed
 * before any page script records performance.now() at that moment.
 */
import type { Browser } from 'puppeteer-core';
import { median } from './stats';

const PROBE = `(() => {
  const selector = 'button[type=submit]:not([disabled]), [data-testid=not-configured] button, [data-testid=dismiss]';
  const check = () => {
    if (window.__benchInteractive === undefined && document.querySelector(selector)) {
      window.__benchInteractive = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
})();`;

export interface OpenTiming {
  firstPaint: number | null;
  firstContentfulPaint: number;
  interactive: number;
}

export interface PageTimings {
  page: string;
  opens: number;
  firstPaintMs: number | null;
  firstContentfulPaintMs: number;
  interactiveMs: number;
}

async function openOnce(browser: Browser, url: string): Promise<OpenTiming> {
  const page = await browser.newPage();
  try {
    await page.evaluateOnNewDocument(PROBE);
    await page.goto(url, { waitUntil: 'load' });
    const handle = await page.waitForFunction(
      () => {
        const w = window as unknown as { __benchInteractive?: number };
        const paints = performance.getEntriesByType('paint');
        const fcp = paints.find((p) => p.name === 'first-contentful-paint');
        const fp = paints.find((p) => p.name === 'first-paint');
        if (!fcp || w.__benchInteractive === undefined) return null;
        return { firstPaint: fp ? fp.startTime : null, firstContentfulPaint: fcp.startTime, interactive: w.__benchInteractive };
      },
      { timeout: 10_000 },
    );
    return (await handle.jsonValue()) as OpenTiming;
  } finally {
    await page.close();
  }
}

function summarise(page: string, runs: OpenTiming[]): PageTimings {
  const fps = runs.map((r) => r.firstPaint).filter((v): v is number => v !== null);
  return {
    page,
    opens: runs.length,
    firstPaintMs: fps.length === runs.length ? median(fps) : null,
    firstContentfulPaintMs: median(runs.map((r) => r.firstContentfulPaint)),
    interactiveMs: median(runs.map((r) => r.interactive)),
  };
}

/** `opens` measured opens of each page, after one unmeasured warm-up each (disk cache, compile). */
export async function measurePopup(browser: Browser, base: string, opens: number): Promise<{ popup: PageTimings; blank: PageTimings }> {
  await openOnce(browser, `${base}/blank.html`);
  await openOnce(browser, `${base}/popup.html`);
  const popup: OpenTiming[] = [];
  const blank: OpenTiming[] = [];
  for (let i = 0; i < opens; i++) {
    blank.push(await openOnce(browser, `${base}/blank.html`));
    popup.push(await openOnce(browser, `${base}/popup.html`));
  }
  return { popup: summarise('popup.html', popup), blank: summarise('blank.html', blank) };
}
