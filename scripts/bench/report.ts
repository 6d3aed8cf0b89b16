/** The console table of `npm run bench`. */
import type { ModuleShare } from './attribution';
import { BUDGETS, MSAL_HOME, type BenchFacts, type BrowserFacts } from './budgets';
import type { FlowResult } from './flow';

const kb = (b: number) => (b / 1024).toFixed(1);
const ms = (v: number | null) => (v === null ? '—' : v.toFixed(0));
const mb = (v: number | null) => (v === null ? '—' : `${(v / 1024 / 1024).toFixed(1)} MB`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

function printSizes(facts: BrowserFacts, msalHome: string): void {
  const budgetOf = (kind: string, name: string) =>
    name === 'popup' ? kb(BUDGETS.popupGzipBytes) : kind === 'service-worker' ? kb(BUDGETS.serviceWorkerGzipBytes) : kind === 'content-script' ? kb(BUDGETS.contentScriptGzipBytes) : '';
  console.log(
    table([
      ['entrypoint', 'files', 'JS raw', 'JS gz', 'CSS raw', 'CSS gz', 'total gz', 'budget', 'MSAL'],
      ...facts.sizes.map((s) => [
        s.kind === 'background-page' ? `${s.name} (page)` : s.name,
        String(s.files.length),
        kb(s.jsRaw),
        kb(s.jsGzip),
        kb(s.cssRaw),
        kb(s.cssGzip),
        kb(s.totalGzip),
        budgetOf(s.kind, s.name),
        s.msalFiles.length ? (s.name === msalHome ? 'yes (ok)' : 'YES') : 'no',
      ]),
    ]),
  );
  if (!facts.sizes.some((s) => s.kind === 'content-script')) console.log('content scripts: none yet');
}

function printPopup(facts: BrowserFacts, opens: number): void {
  if (!facts.popup) return;
  const { popup, blank, ratio } = facts.popup;
  const interactive = popup.interactiveMs !== null && blank.interactiveMs !== null ? `${(popup.interactiveMs / blank.interactiveMs).toFixed(2)}×` : '—';
  console.log(`Popup (median of ${opens} opens, each in a fresh tab, after one warm-up; ms from navigation start)`);
  console.log(
    table([
      ['page', 'first paint', 'first contentful paint', 'interactive'],
      ...[blank, popup].map((t) => [t.page, ms(t.firstPaintMs), ms(t.firstContentfulPaintMs), ms(t.interactiveMs)]),
      ['popup / blank', '', `${ratio.toFixed(2)}× (budget ${BUDGETS.popupPaintRatio}×)`, interactive],
    ]),
  );
}

function printFlow(facts: BrowserFacts, flow: FlowResult, how: string): void {
  const p = facts.protocol;
  if (!p) return;
  console.log(`Connect flow (L = ${flow.latencyMs} ms per response; ${flow.runs.length} runs, ${how})`);
  console.log(`  wall time, click → success shown: median ${ms(flow.medianWallMs)} ms (runs ${flow.runs.map((x) => ms(x.wallMs)).join(', ')})`);
  console.log(`  sequential round trips (wall / L): ${p.sequentialRoundTrips.toFixed(2)}; shortest chain ${p.minimumChain} (budget ≤ ${p.minimumChain + BUDGETS.extraRoundTrips})`);
  if (p.fromSlope) {
    const s = p.fromSlope;
    console.log(`  at L = ${s.latencyMs} ms: median ${ms(s.medianWallMs)} ms; round trips from the slope between the two: ${s.roundTrips.toFixed(2)}, fixed cost ${ms(s.fixedMs)} ms`);
  }
  console.log(`  requests by the extension: ${p.extensionRequests}; protocol minimum ${p.minimumRequests}${p.extra.length ? `; extra: ${p.extra.join(', ')}` : ''}`);
  console.log(`  token CORS preflight sent: ${p.preflightSent ? 'yes' : 'no'}; Infisical's own round trips inside the create: ${p.serverHops}`);
  if (p.aheadOfSignIn.length) console.log(`  finished before the sign-in started (so they delayed it): ${p.aheadOfSignIn.join(', ')}`);
  console.log("  time outside the chain's round trips (median run):");
  for (const b of p.breakdown) console.log(`    ${b.stage.padEnd(44)} ${String(b.ms).padStart(5)} ms`);
}

export function printReport(r: { facts: BenchFacts; modules: Record<string, ModuleShare[]>; flow: FlowResult; firefoxFlow?: FlowResult; opens: number; breaches: string[] }): void {
  const { facts, modules, flow } = r;

  console.log('\nChromium\n\nSize per entrypoint (full load set; gzip -9 per file; KB = 1024 B)');
  printSizes(facts, MSAL_HOME.chromium);
  if (Object.keys(modules).length) {
    console.log('\nLargest modules per entrypoint (minified bytes before gzip, from a source-map build)');
    for (const [name, list] of Object.entries(modules)) {
      const total = list.reduce((a, m) => a + m.bytes, 0);
      console.log(
        `  ${name}: ${list
          .slice(0, 5)
          .map((m) => `${m.module} ${kb(m.bytes)} KB (${((100 * m.bytes) / total).toFixed(0)}%)`)
          .join(', ')}`,
      );
    }
  }
  console.log('');
  printPopup(facts, r.opens);

  const cs = facts.contentScript;
  console.log(
    `\nContent script on dev.azure.com: ${
      !cs || cs.status === 'not built yet'
        ? 'not built yet (the manifest has no content_scripts)'
        : cs.status === 'not matched'
          ? `no content script matches dev.azure.com (${cs.matches.join(', ')})`
          : `+${cs.scriptMs.toFixed(1)} ms script, +${cs.domNodesAdded} elements, +${mb(cs.heapBytesAdded)} heap (median of ${cs.loads} loads vs incognito)`
    }`,
  );
  console.log('');
  printFlow(facts, flow, 'each from a stopped service worker');

  const m = facts.memory;
  if (m) {
    console.log('\nMemory after the flows (JS heap used)');
    console.log(`  service worker ${mb(m.serviceWorkerHeapBytes)}, popup ${mb(m.popupHeapBytes)}, offscreen ${m.offscreenOpenWhenIdle ? mb(m.offscreenHeapBytes) : 'closed'}`);
    console.log(
      `  offscreen document (MSAL) warmed by the popup, before a sign-in: ${m.offscreenWarmHeapBytes === null ? 'did not open' : mb(m.offscreenWarmHeapBytes)}; closed when idle: ${m.offscreenOpenWhenIdle ? 'NO' : 'yes'}`,
    );
  }

  if (facts.firefox) {
    console.log('\nFirefox ESR\n\nSize per entrypoint (MV2 build; MSAL runs in the background page)');
    printSizes(facts.firefox, MSAL_HOME.firefox);
    console.log('');
    printPopup(facts.firefox, r.opens);
    console.log('  (interactive: not observable; Firefox runs no WebDriver preload script in moz-extension pages)');
    if (r.firefoxFlow) {
      console.log('');
      printFlow(facts.firefox, r.firefoxFlow, 'each after reloading the add-on, so each signs in');
    }
    console.log('  content script and memory: Chromium only (they are read through CDP)');
  }

  console.log(`\nBudget breaches: ${r.breaches.length === 0 ? 'none' : r.breaches.length}`);
  for (const b of r.breaches) console.log(`  - ${b}`);
}
