/**
 * The connect flow's critical path under a fixed per-response latency L, its requests (from the
 * sandbox log), and the extension's memory afterwards.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { ORGS, TENANT } from '../../tests/sandbox/fixtures';
import type { RequestLog } from '../../tests/sandbox/state';
import type { BenchSession } from './session';
import { median, sleep } from './stats';

export interface LoggedRequest {
  host: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  /** When the sandbox started reading it, in ms after the click (same machine clock). */
  startMs: number;
  /** Made by the Infisical server while answering the extension (its credential check), not by the browser. */
  serverSide: boolean;
}

export interface FlowRun {
  wallMs: number;
  outcome: string;
  requests: LoggedRequest[];
}

const OFFSCREEN = (url: string) => url.endsWith('/offscreen.html');
const start = (r: RequestLog) => Date.parse(r.at) - r.ms;
const end = (r: RequestLog) => Date.parse(r.at);

/**
 * The sandbox's Infisical validates a new connection's PAT by calling Azure DevOps itself, through
 * the same server, so that call shows in the log. It lies inside the create request's interval.
 */
function classify(log: RequestLog[], clickEpochMs: number): LoggedRequest[] {
  const creates = log.filter((r) => r.host === 'infisical.sandbox.test' && r.method === 'POST' && r.path.startsWith('/api/v1/app-connections/'));
  return log.map((r) => ({
    host: r.host,
    method: r.method,
    path: r.path,
    status: r.status,
    ms: r.ms,
    startMs: start(r) - clickEpochMs,
    serverSide: r.host !== 'infisical.sandbox.test' && creates.some((c) => start(r) >= start(c) - 2 && end(r) <= end(c) + 2),
  }));
}

/**
 * Firefox's MV2 background page is never stopped, so it would keep the Entra token from the run
 * before and skip the sign-in. Reloading the add-on starts it afresh, as Chromium's stopped worker
 * does: every run signs in and logs in to Infisical.
 */
export async function restartFirefoxBackground(session: BenchSession): Promise<void> {
  const page = await session.ext.openPage(`${session.base}/blank.html`);
  await page.evaluate(() => void setTimeout(() => (globalThis as unknown as { browser: { runtime: { reload(): void } } }).browser.runtime.reload(), 0));
  await sleep(500);
  await page.close().catch(() => undefined);
  // Ready when the new background page has run its script (its listeners are registered then);
  // a popup opened before that would lose tenant discovery and the warm-up, and run a cold click.
  const probe = await session.ext.openPage(`${session.base}/blank.html`);
  try {
    await probe.waitForFunction(
      () => (globalThis as unknown as { browser: { extension: { getBackgroundPage(): Window | null } } }).browser.extension.getBackgroundPage()?.document.readyState === 'complete',
      { timeout: 15_000, polling: 50 },
    );
  } finally {
    await probe.close();
  }
}

/** Stop the extension's service worker, as Chromium does after 30 s idle; the next message starts it. */
export async function stopWorkers(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** No sandbox request for 300 ms: what the popup asked while the form was filled has finished. */
export async function networkQuiet(session: BenchSession): Promise<void> {
  let seen = -1;
  for (;;) {
    const count = (await session.sandbox.requests()).length;
    if (count === seen) return;
    seen = count;
    await sleep(300);
  }
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize;
}

/** In-page source as a string: tsx would wrap named arrow functions in a `__name` helper. */
const CLICK_AND_WAIT = `new Promise((resolve) => {
  const t0 = performance.now();
  const clickEpochMs = performance.timeOrigin + performance.now();
  const observer = new MutationObserver(() => {
    const status = document.querySelector('[data-testid=flow]')?.getAttribute('data-status');
    if (status === 'succeeded' || status === 'failed') {
      observer.disconnect();
      resolve({ wallMs: performance.now() - t0, outcome: status, clickEpochMs });
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  document.querySelector('button[type=submit]').click();
})`;

async function oneRun(session: BenchSession, name: string, latencyMs: number): Promise<FlowRun> {
  const { name: browserName } = session.ext;
  // Opening and filling the popup is not part of the flow: no latency yet.
  await session.sandbox.setLatency(0);
  if (browserName === 'firefox') await restartFirefoxBackground(session);
  const page = await session.ext.openPage(`${session.base}/popup.html`);
  try {
    await page.waitForSelector('#org, [data-testid=dismiss]');
    if (await page.$('[data-testid=dismiss]')) await page.click('[data-testid=dismiss]');
    await page.waitForSelector('#org');
    // Chromium: a worker that has been idle: stopped now, woken by the popup's tenant discovery
    // (debounced after typing the org), as when a person opens the popup and types. Its Infisical
    // token cache is then empty, so every run is the worker's first flow (Firefox: restarted above).
    if (browserName === 'chromium') await stopWorkers(page);
    await page.type('#org', ORGS.contoso.name);
    await sleep(400);
    await page.waitForFunction(() => !document.querySelector('#tenant-hint')?.textContent?.includes('Looking up'), { timeout: 10_000 });
    await networkQuiet(session);
    if (!(await page.$eval('#tenant', (el) => (el as HTMLInputElement).value))) await page.type('#tenant', TENANT.id);
    await page.type('#connectionName', name);
    // The popup looks the name up while the user types (debounced), as it discovers the tenant; a
    // person takes longer than this between typing and clicking, so that lookup is not on the click's path.
    await sleep(400);
    await networkQuiet(session);

    await session.sandbox.setLatency(latencyMs);
    const first = (await session.sandbox.requests()).length;
    // Click and wait in the page, so the wall time is not puppeteer's polling interval.
    const { clickEpochMs, ...result } = (await page.evaluate(CLICK_AND_WAIT)) as { wallMs: number; outcome: string; clickEpochMs: number };
    await sleep(100); // the last log line is written right after its response
    await session.sandbox.setLatency(0);
    return {
      ...result,
      requests: classify((await session.sandbox.requests()).slice(first), clickEpochMs),
    };
  } finally {
    await page.close();
  }
}

export interface FlowResult {
  latencyMs: number;
  runs: FlowRun[];
  medianWallMs: number;
  medianExtensionRequests: number;
}

export async function measureFlows(session: BenchSession, runs: number, latencyMs: number, options: { warmUp?: boolean } = {}): Promise<FlowResult> {
  const out: FlowRun[] = [];
  // Unique names: the flow refuses a name that already exists in Infisical.
  const name = (i: number | string) => `bench-${Date.now().toString(36)}-${i}`;
  // One unmeasured run first, as for the popup: it pays what happens once per browser session
  // (the sign-in window's first TLS handshake, Infisical's first connection to Azure DevOps for
  // its credential check), 60–100 ms more than every run after it.
  if (options.warmUp ?? true) {
    const warm = await oneRun(session, name('warm-up'), latencyMs);
    if (warm.outcome !== 'succeeded') throw new Error(`the warm-up connect run ended ${warm.outcome}: nothing to measure`);
  }
  for (let i = 0; i < runs; i++) out.push(await oneRun(session, name(i), latencyMs));
  return {
    latencyMs,
    runs: out,
    medianWallMs: median(out.map((r) => r.wallMs)),
    medianExtensionRequests: median(out.map((r) => r.requests.filter((q) => !q.serverSide).length)),
  };
}

export interface MemoryResult {
  serviceWorkerHeapBytes: number | null;
  popupHeapBytes: number | null;
  offscreenHeapBytes: number | null;
  offscreenOpenWhenIdle: boolean;
  /**
   * The offscreen document as the popup's warm-up opens it (org typed, tenant found, MSAL loaded
   * and its authorize URL built), before a sign-in: MSAL's memory cost. Null if it did not open.
   */
  offscreenWarmHeapBytes: number | null;
}

/**
 * After the flows (Chromium only: read through CDP): heaps of the live contexts, whether the
 * offscreen document was closed, then the document's heap once the popup has warmed it again.
 */
export async function measureMemory(session: BenchSession): Promise<MemoryResult> {
  const { browser } = session.ext;
  const popup = await session.ext.openPage(`${session.base}/popup.html`);
  await popup.waitForSelector('#org, [data-testid=dismiss]');
  await sleep(300);
  const read = async (cdp: CDPSession) => {
    try {
      return await heapUsed(cdp);
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  };
  const worker = browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(session.base));
  const offscreen = browser.targets().find((t) => OFFSCREEN(t.url()));
  const idle = {
    serviceWorkerHeapBytes: worker ? await read(await worker.createCDPSession()).catch(() => null) : null,
    popupHeapBytes: await read(await popup.createCDPSession()).catch(() => null),
    offscreenHeapBytes: offscreen ? await read(await offscreen.createCDPSession()).catch(() => null) : null,
    offscreenOpenWhenIdle: Boolean(offscreen),
  };
  let offscreenWarmHeapBytes: number | null = null;
  try {
    if (await popup.$('[data-testid=dismiss]')) await popup.click('[data-testid=dismiss]');
    await popup.waitForSelector('#org');
    // A worker holding the last flow's Entra token needs no sign-in ready: start it afresh.
    await stopWorkers(popup);
    await popup.type('#org', ORGS.contoso.name);
    const warmed = await browser.waitForTarget((t) => OFFSCREEN(t.url()), { timeout: 10_000 });
    await networkQuiet(session);
    await sleep(500); // MSAL's instance and authorize URL are built after the tenant's lookup
    offscreenWarmHeapBytes = await read(await warmed.createCDPSession());
  } catch {
    // Not warmed within 10 s: reported as not measured.
  }
  await popup.close();
  return { ...idle, offscreenWarmHeapBytes };
}
