/**
 * Popup paint and interactivity, side by side with blank.html opened the same way (fresh tab,
 * same browser run, alternating so drift hits both alike). Headless Chromium cannot open the real
 * toolbar popup, so popup.html is opened in a tab, as the e2e tests do; in Firefox too, for the
 * same comparison.
 *
 * "Interactive" = a button the user can act on is in the DOM and enabled: the form's Connect
 * button, the not-configured "Open settings" button or a finished flow's dismiss button. Preact
 * attaches the handler in the same render that inserts the button. A MutationObserver installed
 * before any page script records performance.now() at that moment. Firefox runs no WebDriver
 * preload script in `moz-extension:` pages, so there only paint is measured.
 */
import { gotoPage, type ExtensionBrowser } from '../../tests/e2e/support/browsers';
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
  interactive: number | null;
}

export interface PageTimings {
  page: string;
  opens: number;
  firstPaintMs: number | null;
  firstContentfulPaintMs: number;
  /** null where it cannot be observed (Firefox). */
  interactiveMs: number | null;
}

async function openOnce(ext: ExtensionBrowser, url: string): Promise<OpenTiming> {
  const page = await ext.browser.newPage();
  const probed = ext.name === 'chromium';
  try {
    if (probed) await page.evaluateOnNewDocument(PROBE);
    await gotoPage(page, url);
    const handle = await page.waitForFunction(
      (waitForInteractive: boolean) => {
        const w = window as unknown as { __benchInteractive?: number };
        const paints = performance.getEntriesByType('paint');
        const fcp = paints.find((p) => p.name === 'first-contentful-paint');
        const fp = paints.find((p) => p.name === 'first-paint');
        if (!fcp || (waitForInteractive && w.__benchInteractive === undefined)) return null;
        return { firstPaint: fp ? fp.startTime : null, firstContentfulPaint: fcp.startTime, interactive: w.__benchInteractive ?? null };
      },
      { timeout: 10_000 },
      probed,
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
    interactiveMs: runs.every((r) => r.interactive !== null) ? median(runs.map((r) => r.interactive!)) : null,
  };
}

/** `opens` measured opens of each page, after one unmeasured warm-up each (disk cache, compile). */
export async function measurePopup(ext: ExtensionBrowser, opens: number): Promise<{ popup: PageTimings; blank: PageTimings }> {
  await openOnce(ext, `${ext.base}/blank.html`);
  await openOnce(ext, `${ext.base}/popup.html`);
  const popup: OpenTiming[] = [];
  const blank: OpenTiming[] = [];
  for (let i = 0; i < opens; i++) {
    blank.push(await openOnce(ext, `${ext.base}/blank.html`));
    popup.push(await openOnce(ext, `${ext.base}/popup.html`));
  }
  return { popup: summarise('popup.html', popup), blank: summarise('blank.html', blank) };
}
