/**
 * What the content script adds to an Azure DevOps page: script time and DOM nodes, as the
 * difference between the sandbox's stand-in org page with the extension (default profile) and
 * the same page in an incognito context, where Chromium does not run extensions by default.
 * Read from CDP Performance.getMetrics (ScriptDuration covers isolated worlds too).
 */
import type { Browser } from 'puppeteer-core';
import { ORGS } from '../../tests/sandbox/fixtures';
import { readManifest } from './sizes';
import { median, sleep } from './stats';

export type ContentScriptResult =
  | { status: 'not built yet' }
  | { status: 'not matched'; matches: string[] }
  | { status: 'measured'; url: string; loads: number; scriptMs: number; domNodesAdded: number; heapBytesAdded: number };

const ORG_PAGE = `https://dev.azure.com/${ORGS.contoso.name}/`;

async function loadMetrics(browser: Browser, incognito: boolean): Promise<Record<string, number>> {
  const context = incognito ? await browser.createBrowserContext() : browser.defaultBrowserContext();
  const page = await context.newPage();
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    await page.goto(ORG_PAGE, { waitUntil: 'load' });
    // document_idle scripts run after load; give them time to run and render.
    await sleep(500);
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const elements = await page.evaluate(`(() => {
      let n = 0;
      const walk = (root) => { for (const el of root.querySelectorAll('*')) { n++; if (el.shadowRoot) walk(el.shadowRoot); } };
      walk(document);
      return n;
    })()`);
    return { ...Object.fromEntries(metrics.map((m) => [m.name, m.value])), elements: elements as number };
  } finally {
    await page.close();
    if (incognito) await context.close();
  }
}

export async function measureContentScript(browser: Browser, buildDir: string, loads = 5): Promise<ContentScriptResult> {
  const scripts = readManifest(buildDir).content_scripts ?? [];
  if (scripts.length === 0) return { status: 'not built yet' };
  const matches = scripts.flatMap((s) => s.matches ?? []);
  if (!matches.some((m) => m.includes('dev.azure.com'))) return { status: 'not matched', matches };

  const withExt: Record<string, number>[] = [];
  const without: Record<string, number>[] = [];
  for (let i = 0; i < loads; i++) {
    without.push(await loadMetrics(browser, true));
    withExt.push(await loadMetrics(browser, false));
  }
  const delta = (key: string) => median(withExt.map((m) => m[key] ?? 0)) - median(without.map((m) => m[key] ?? 0));
  return {
    status: 'measured',
    url: ORG_PAGE,
    loads,
    scriptMs: delta('ScriptDuration') * 1000,
    // Elements in the document and open shadow roots; a closed shadow root counts as its host only.
    domNodesAdded: delta('elements'),
    heapBytesAdded: delta('JSHeapUsedSize'),
  };
}
