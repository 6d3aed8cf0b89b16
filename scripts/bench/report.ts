/** The console table of `npm run bench`. */
import type { ModuleShare } from './attribution';
import { BUDGETS, MSAL_HOME, type BenchFacts, type BrowserFacts, type ConnectionsFacts, type RenewAllFacts } from './budgets';
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

function printViews(c: ConnectionsFacts): void {
  const v = c.views;
  if (!v) return;
  const n = v.many.options.connections;
  console.log(`Connections view (median of ${v.many.options.opens} opens each, in fresh tabs, after one open right after a restart; ms from navigation start)`);
  const row = (label: string, t: typeof v.none.options) => [
    label,
    ms(t.firstContentfulPaintMs),
    `${ms(t.recordsMs)} / ${ms(t.recordsPaintedMs)}`,
    `${ms(t.refreshedMs)} / ${ms(t.refreshedPaintedMs)}`,
    String(t.recordsRows),
    `${ms(t.cold.firstContentfulPaint)}, ${ms(t.cold.recordsPainted)}, ${ms(t.cold.refreshedPainted)}`,
  ];
  console.log(
    table([
      ['page', 'first contentful paint', 'records: DOM / painted', 'refreshed: DOM / painted', 'rows', 'after a restart: FCP, records, refreshed'],
      row('options, none', v.none.options),
      row(`options, ${n} over ${v.orgs} orgs`, v.many.options),
      row('popup list, none', v.none.list),
      row(`popup list, ${n} over ${v.orgs} orgs`, v.many.list),
    ]),
  );
  console.log(
    `  first contentful paint, ${n} ÷ none: options ${v.paintRatio.options.toFixed(2)}×, popup list ${v.paintRatio.list.toFixed(2)}× (budget ${BUDGETS.connectionsPaintRatio}×); rows from the records painted ≤ ${BUDGETS.connectionsRecordsPaintedMs} ms`,
  );
}

function printExpiryCheck(c: ConnectionsFacts): void {
  const e = c.expiryCheck;
  if (!e) return;
  console.log(`\nExpiry check without network (${e.method})`);
  console.log(
    table([
      ['records', 'Infisical list held', 'idle', 'trigger alone', 'trigger + check', 'check', 'badge'],
      ...e.runs.map((r) => [
        String(r.records),
        r.listRead ? 'yes' : 'no',
        r.idleMs.toFixed(2),
        r.controlMs.toFixed(2),
        r.triggerMs.toFixed(2),
        `${r.checkMs.toFixed(2)} ms`,
        r.badge || '—',
      ]),
    ]),
  );
  console.log(`  with 300 records: ${e.at300Ms.toFixed(2)} ms of the worker's CPU (budget < ${BUDGETS.expiryCheckMs} ms)`);
}

function printRenewAll(r: RenewAllFacts | undefined, how: string): void {
  if (!r) return;
  console.log(`Renew all: ${r.connections} connections in ${r.tenants} tenants, L = ${r.latencyMs} ms, RENEW_CONCURRENCY ${r.concurrency} (${r.runs} runs, ${how})`);
  console.log(`  wall time, click → last row outcome: median ${ms(r.medianWallMs)} ms; last live outcome ${ms(r.lastLiveMs)} ms; renewed ${r.renewed}, failed ${r.failed}`);
  console.log(
    `  model: sign-ins ${ms(r.signInPhaseMs)} ms (measured) + ${r.renewalRounds} rounds × ${r.renewalChain} L = ${ms(r.modelMs)} ms; wall ÷ model ${r.ratio.toFixed(2)} (budget ≤ ${BUDGETS.renewAllWallRatio})`,
  );
  const rounds = r.renewalRounds * r.renewalChain * r.latencyMs;
  console.log(
    `  renewals after the last sign-in: ${ms(r.renewalPhaseMs)} ms against ${ms(rounds)} (+${ms((r.renewalPhaseMs - rounds) / r.renewalRounds)} ms a round); with sign-ins as round trips only: model ${ms(r.roundTripModelMs)} ms, ratio ${(r.wallMs / r.roundTripModelMs).toFixed(2)}`,
  );
  if (r.fromSlope) {
    const s = r.fromSlope;
    console.log(
      `  at L = ${s.latencyMs} ms: median ${ms(s.medianWallMs)} ms; round trips from the slope ${s.roundTrips.toFixed(1)} (chain ${r.signIns.reduce((a, x) => a + x.roundTrips, 0) + r.renewalRounds * r.renewalChain}), fixed cost ${ms(s.fixedMs)} ms`,
    );
  }
  const p = r.perRenewal;
  console.log(
    `  requests by the extension: ${r.extensionRequests}; protocol minimum ${r.minimumRequests} (${r.signInRequests} for ${r.signIns.length} sign-ins, ${p.create + p.read + p.patch + p.revoke} per renewal: create ${p.create}, read ${p.read}, PATCH ${p.patch}, revoke ${p.revoke}); Infisical's checks inside the PATCHes ${r.infisicalChecks} (${p.infisicalCheck} per renewal)${r.extra.length ? `; extra: ${r.extra.join(', ')}` : '; no extra'}`,
  );
  console.log(
    `  sign-ins, ms from the end of the one before (the click for the first) to the token answer: ${r.signIns.map((x) => `${ms(x.ms)} (${ms(x.ms - x.requestsMs)} before its authorize, ${x.roundTrips} round trips)`).join(', ')}`,
  );
  console.log(`  renewals in flight at once (from the log): up to ${r.observedConcurrency}`);
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

  if (facts.connections || facts.renewAll) console.log('\nConnections (Chromium)\n');
  if (facts.connections) {
    printViews(facts.connections);
    printExpiryCheck(facts.connections);
    console.log('');
  }
  printRenewAll(facts.renewAll, 'each after a restart of the service worker');

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
    if (facts.firefox.renewAll) console.log('');
    printRenewAll(facts.firefox.renewAll, 'each after reloading the add-on');
    console.log('  content script, memory, the connections view and the expiry check: Chromium only (read through CDP or a preload script)');
  }

  console.log(`\nBudget breaches: ${r.breaches.length === 0 ? 'none' : r.breaches.length}`);
  for (const b of r.breaches) console.log(`  - ${b}`);
}
