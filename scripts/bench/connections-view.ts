/**
 * The connections view with many connections (docs/performance.md "Connections"): the options page
 * and the popup's list (`options.html?list`, which the popup opens in its own window) with 300
 * connections over 30 orgs in the sandbox's Infisical and their 300 records in the extension's
 * storage, against the same pages with none. Opened in fresh tabs as popup.ts opens the popup;
 * Chromium only (the timings below come from a script installed before the page's own, which
 * Firefox does not run in `moz-extension:` pages).
 *
 * Per open: first contentful paint (`performance.getEntriesByType('paint')`, as popup.ts), and
 * when the section `[data-testid=connections]` first has `data-state=records` (the rows from the
 * records, no request: the background answers from what it holds) and `data-state=refreshed`
 * (after Infisical's list, read again). Both are taken by a MutationObserver installed before any
 * page script, in the DOM (`…Dom`) and at the frame after it (`…Painted`: a task queued from the
 * next animation frame, which runs once that frame has been produced).
 */
import type { ConnectionRecord } from '../../utils/storage/records';
import { gotoPage, type ExtensionBrowser } from '../../tests/e2e/support/browsers';
import { plantAndRestart } from './extension-storage';
import type { BenchSession } from './session';
import { median } from './stats';

const PROBE = `(() => {
  const marks = (window.__benchView = {});
  const painted = (name) => requestAnimationFrame(() => setTimeout(() => { marks[name + 'Painted'] = performance.now(); }));
  const check = () => {
    const section = document.querySelector('[data-testid=connections]');
    const state = section && section.getAttribute('data-state');
    for (const name of ['records', 'refreshed']) {
      if (marks[name + 'Dom'] !== undefined) continue;
      if (state === name || (name === 'records' && state === 'refreshed')) {
        marks[name + 'Dom'] = performance.now();
        marks[name + 'Rows'] = section.querySelectorAll('[data-testid=connection-row]').length;
        painted(name);
      }
    }
    if (marks.refreshedDom !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

export interface ViewOpen {
  firstContentfulPaint: number;
  recordsDom: number;
  recordsPainted: number;
  refreshedDom: number;
  refreshedPainted: number;
  /** Rows in the list when the state was reached. */
  recordsRows: number;
  refreshedRows: number;
}

export interface ViewTimings {
  page: string;
  connections: number;
  opens: number;
  /** Medians, ms from navigation start. */
  firstContentfulPaintMs: number;
  recordsMs: number;
  recordsPaintedMs: number;
  refreshedMs: number;
  refreshedPaintedMs: number;
  /** Rows shown from the records and after the refresh (every open alike, else the fewest). */
  recordsRows: number;
  refreshedRows: number;
  /** The first open after the background was restarted (unmeasured warm-up): the ledger reads the records then. */
  cold: ViewOpen;
}

export interface ViewsResult {
  none: { options: ViewTimings; list: ViewTimings };
  many: { options: ViewTimings; list: ViewTimings };
  /** First contentful paint with many connections ÷ with none, per page (the budget). */
  paintRatio: { options: number; list: number };
  orgs: number;
}

async function openOnce(ext: ExtensionBrowser, url: string): Promise<ViewOpen> {
  const page = await ext.browser.newPage();
  try {
    await page.evaluateOnNewDocument(PROBE);
    await gotoPage(page, url);
    const handle = await page.waitForFunction(
      () => {
        const marks = (window as unknown as { __benchView?: Partial<ViewOpen> }).__benchView;
        const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
        if (!fcp || marks?.refreshedPainted === undefined || marks.recordsPainted === undefined) return null;
        return { ...marks, firstContentfulPaint: fcp.startTime };
      },
      { timeout: 30_000 },
    );
    return (await handle.jsonValue()) as ViewOpen;
  } finally {
    await page.close();
  }
}

function summarise(page: string, connections: number, cold: ViewOpen, runs: ViewOpen[]): ViewTimings {
  const m = (f: (o: ViewOpen) => number) => median(runs.map(f));
  return {
    page,
    connections,
    opens: runs.length,
    firstContentfulPaintMs: m((o) => o.firstContentfulPaint),
    recordsMs: m((o) => o.recordsDom),
    recordsPaintedMs: m((o) => o.recordsPainted),
    refreshedMs: m((o) => o.refreshedDom),
    refreshedPaintedMs: m((o) => o.refreshedPainted),
    recordsRows: Math.min(...runs.map((o) => o.recordsRows)),
    refreshedRows: Math.min(...runs.map((o) => o.refreshedRows)),
    cold,
  };
}

/** Both pages, `opens` times each, alternating, after one unmeasured open of each (the first after a restart). */
async function measurePages(session: BenchSession, opens: number, connections: number): Promise<{ options: ViewTimings; list: ViewTimings }> {
  const pages = { options: `${session.base}/options.html`, list: `${session.base}/options.html?list` };
  const coldOptions = await openOnce(session.ext, pages.options);
  const coldList = await openOnce(session.ext, pages.list);
  const options: ViewOpen[] = [];
  const list: ViewOpen[] = [];
  for (let i = 0; i < opens; i++) {
    options.push(await openOnce(session.ext, pages.options));
    list.push(await openOnce(session.ext, pages.list));
  }
  return { options: summarise('options.html', connections, coldOptions, options), list: summarise('options.html?list', connections, coldList, list) };
}

/**
 * With none (a fresh sandbox and no records), then with `connections` seeded over `orgs` (their
 * PATs expiring after 5 to 365 days, so the statuses vary) and their records planted; the
 * background is restarted before each set so that it reads the records it is shown with. The
 * connections and records stay, for the expiry check that follows in the same session.
 */
export async function measureViews(session: BenchSession, opens: number, connections = 300, orgs = 30): Promise<ViewsResult> {
  await plantAndRestart(session, []);
  const none = await measurePages(session, opens, 0);
  const seeded = await session.sandbox.admin.seedConnections({ connections, orgs, validForDays: [5, 12, 20, 45, 90, 180, 365] });
  await plantAndRestart(
    session,
    seeded.connections.map((c): ConnectionRecord => c.record),
  );
  const many = await measurePages(session, opens, connections);
  return {
    none,
    many,
    paintRatio: {
      options: many.options.firstContentfulPaintMs / none.options.firstContentfulPaintMs,
      list: many.list.firstContentfulPaintMs / none.list.firstContentfulPaintMs,
    },
    orgs,
  };
}
