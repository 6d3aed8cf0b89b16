/**
 * Renew all of 20 connections in 4 tenants at a sandbox latency L (docs/performance.md
 * "Connections"): the requests each renewal makes against the protocol's minimum, and the wall
 * time from the click to the last row's outcome against the model
 *   sign-ins (measured) + ⌈n / RENEW_CONCURRENCY⌉ × one renewal's chain (4 × L).
 *
 * The connections are seeded in the sandbox (tests/sandbox/seed.ts) as the extension would have
 * made them: in four tenants (contoso, and tailspin, woodgrove and adatum where Ada is a guest),
 * each PAT minted by the signed-in person's account there for 30 days, and Infisical's connection
 * holding it; their records (tests/support/sandbox-seed.ts) are planted in `local:connections`.
 * With a warning window of 30 days every one is due, and stays due once renewed (30 days again),
 * so each run renews the same 20. Before each run the background is restarted (no Microsoft token
 * held: every tenant needs its sign-in) and the options page opened and left to read Infisical's
 * list, with no latency; then the latency is set and Renew all clicked in the page.
 *
 * A renewal (utils/flow/renew-connection.ts): PAT create → PATCH of the connection by its id, inside
 * which Infisical checks the new PAT against Azure DevOps with Basic auth (the sandbox makes that
 * call for real) → revoke of the old PAT, with the connection read again by id beside the create
 * (the baseline a lost PATCH answer is judged against): 4 requests by the extension and 1 by
 * Infisical, 4 sequential round trips. A sign-in: the authorize navigation and the token POST (a CORS preflight
 * counted if one is sent), once per tenant, one tenant after the other (utils/worker/renewals.ts).
 */
import { readFileSync } from 'node:fs';
import { ADATUM_TENANT, TAILSPIN_TENANT, TENANT, WOODGROVE_TENANT } from '../../tests/sandbox/fixtures';
import type { RequestLog } from '../../tests/sandbox/state';
import { plantAndRestart } from './extension-storage';
import { networkQuiet, restartFirefoxBackground, stopWorkers } from './flow';
import type { BenchSession } from './session';
import { median, sleep } from './stats';

export const RENEW_TENANTS = [TENANT.id, TAILSPIN_TENANT.id, WOODGROVE_TENANT.id, ADATUM_TENANT.id];

/**
 * RENEW_CONCURRENCY of utils/worker/renewals.ts, read from its source: the module cannot be
 * imported outside the extension (its storage items need a browser).
 */
export function renewConcurrency(): number {
  const source = readFileSync(new URL('../../utils/worker/renewals.ts', import.meta.url), 'utf8');
  const found = /export const RENEW_CONCURRENCY = (\d+);/.exec(source);
  if (!found) throw new Error('RENEW_CONCURRENCY not found in utils/worker/renewals.ts');
  return Number(found[1]);
}

/** A request of the run, ms after the click (same machine clock). */
interface Request {
  label: string;
  kind: 'authorize' | 'token preflight' | 'token' | 'PAT create' | 'read' | 'PATCH' | 'revoke' | "Infisical's check" | 'other';
  tenant: string | null;
  startMs: number;
  endMs: number;
  status: number;
}

export interface RenewRun {
  wallMs: number;
  /** Click → the last row's live outcome (`renewal-state` renewed / failed), before the run's answer reached the page. */
  lastLiveMs: number;
  renewed: number;
  failed: number;
  requests: Request[];
}

export interface SignIn {
  tenant: string;
  /** Requests of its chain (authorize, token, and a preflight if sent): its round trips. */
  roundTrips: number;
  /** From the end of what came before it (the click, or the previous tenant's token answer) to its token answer. */
  ms: number;
  /** Of which: from its authorize request to its token answer. */
  requestsMs: number;
}

export interface RenewAllAnalysis {
  connections: number;
  tenants: number;
  latencyMs: number;
  concurrency: number;
  runs: number;
  medianWallMs: number;
  /** The run whose wall time is the median, analysed: */
  wallMs: number;
  lastLiveMs: number;
  renewed: number;
  failed: number;
  extensionRequests: number;
  minimumRequests: number;
  /** Infisical's own calls into Azure DevOps (its check inside each PATCH, Basic auth). */
  infisicalChecks: number;
  perRenewal: { create: number; read: number; patch: number; revoke: number; infisicalCheck: number };
  signInRequests: number;
  extra: string[];
  preflights: number;
  signIns: SignIn[];
  /** Click → the last tenant's token answer: the sign-ins, one after another, as measured. */
  signInPhaseMs: number;
  /** Sequential round trips of one renewal: create 1 + PATCH 1 + Infisical's check 1 + revoke 1. */
  renewalChain: number;
  /** Rounds of renewals: ⌈n / concurrency⌉. */
  renewalRounds: number;
  /** signInPhaseMs + renewalRounds × renewalChain × L: the budget's model. */
  modelMs: number;
  ratio: number;
  /** The same with each sign-in counted as its round trips × L only (no fixed cost): for comparison. */
  roundTripModelMs: number;
  /** Wall − sign-in phase, against renewalRounds × renewalChain × L. */
  renewalPhaseMs: number;
  /** The most renewals in flight at once, from the log (PAT creates started − old PATs revoked). */
  observedConcurrency: number;
}

const entraTenant = (path: string) => /^\/([^/]+)\/oauth2\/v2\.0\//.exec(path)?.[1]?.toLowerCase() ?? null;

function classify(log: RequestLog[], clickEpochMs: number): Request[] {
  const start = (r: RequestLog) => Date.parse(r.at) - r.ms - clickEpochMs;
  const end = (r: RequestLog) => Date.parse(r.at) - clickEpochMs;
  const patches = log.filter((r) => r.host === 'infisical.sandbox.test' && r.method === 'PATCH');
  return log.map((r): Request => {
    const login = r.host === 'login.microsoftonline.com';
    const pats = r.host === 'vssps.dev.azure.com' && r.path.endsWith('/_apis/tokens/pats');
    // Infisical's credential check: Basic auth (the extension only ever sends bearer tokens), inside a PATCH.
    const nested = r.auth === 'basic' && patches.some((p) => start(r) >= start(p) - 2 && end(r) <= end(p) + 2);
    const kind: Request['kind'] =
      login && r.method === 'GET' && r.path.endsWith('/authorize')
        ? 'authorize'
        : login && r.method === 'OPTIONS' && r.path.endsWith('/token')
          ? 'token preflight'
          : login && r.method === 'POST' && r.path.endsWith('/token')
            ? 'token'
            : pats && r.method === 'POST'
              ? 'PAT create'
              : pats && r.method === 'DELETE' && r.query.includes('authorizationId=')
                ? 'revoke'
                : r.host === 'infisical.sandbox.test' && r.method === 'GET' && /^\/api\/v1\/app-connections\/azure-devops\/[^/]+$/.test(r.path)
                  ? 'read'
                  : r.host === 'infisical.sandbox.test' && r.method === 'PATCH' && /^\/api\/v1\/app-connections\/azure-devops\/[^/]+$/.test(r.path)
                    ? 'PATCH'
                    : nested
                      ? "Infisical's check"
                      : 'other';
    return { label: `${r.method} ${r.host}${r.path}`, kind, tenant: login ? entraTenant(r.path) : null, startMs: start(r), endMs: end(r), status: r.status };
  });
}

/** In-page source as a string: tsx would wrap named arrow functions in a `__name` helper. */
const CLICK_AND_WAIT = (n: number) => `new Promise((resolve) => {
  const t0 = performance.now();
  const clickEpochMs = performance.timeOrigin + t0;
  const live = new Map();
  const finish = (timedOut) => {
    observer.disconnect();
    const outcomes = [...document.querySelectorAll('[data-testid=connection-row] [data-testid=row-outcome]')];
    resolve({
      wallMs: performance.now() - t0,
      clickEpochMs,
      lastLiveMs: Math.max(0, ...live.values()),
      renewed: outcomes.filter((o) => o.getAttribute('data-ok') === 'true').length,
      failed: outcomes.filter((o) => o.getAttribute('data-ok') === 'false').length,
      timedOut,
    });
  };
  const check = () => {
    for (const el of document.querySelectorAll('[data-testid=renewal-state]')) {
      const id = el.closest('[data-testid=connection-row]')?.getAttribute('data-id');
      const state = el.getAttribute('data-state');
      if ((state === 'renewed' || state === 'failed') && !live.has(id)) live.set(id, performance.now() - t0);
    }
    if (document.querySelectorAll('[data-testid=connection-row] [data-testid=row-outcome]').length >= ${n}) finish(false);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  setTimeout(() => finish(true), 120000);
  document.querySelector('[data-testid=renew-all]').click();
})`;

/** The warning window, saved from the options page as a person would. */
async function setWindow(session: BenchSession, days: 7 | 14 | 30): Promise<void> {
  const page = await session.ext.openPage(`${session.base}/options.html`);
  try {
    await page.waitForSelector('[data-testid=expiry-window]');
    await page.select('[data-testid=expiry-window]', String(days));
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === 'Saved.', { timeout: 10_000 });
  } finally {
    await page.close();
  }
}

async function oneRun(session: BenchSession, n: number, latencyMs: number): Promise<RenewRun> {
  await session.sandbox.setLatency(0);
  // No Microsoft token held: each tenant needs its sign-in, as after the browser stopped the worker.
  if (session.ext.name === 'firefox') {
    await restartFirefoxBackground(session);
  } else {
    const blank = await session.ext.openPage(`${session.base}/blank.html`);
    await stopWorkers(blank);
    await blank.close();
  }
  const page = await session.ext.openPage(`${session.base}/options.html`);
  try {
    await page.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 30_000 });
    const button = await page.$eval('[data-testid=renew-all]', (b) => b.textContent ?? '');
    if (!button.includes(`(${n})`)) throw new Error(`Renew all offers "${button}", not ${n} connections`);
    await networkQuiet(session);
    await session.sandbox.setLatency(latencyMs);
    const first = (await session.sandbox.requests()).length;
    const r = (await page.evaluate(CLICK_AND_WAIT(n))) as { wallMs: number; clickEpochMs: number; lastLiveMs: number; renewed: number; failed: number; timedOut: boolean };
    await sleep(100);
    await session.sandbox.setLatency(0);
    if (r.timedOut) throw new Error(`Renew all did not show ${n} outcomes within 120 s (${r.renewed} renewed, ${r.failed} failed)`);
    return { wallMs: r.wallMs, lastLiveMs: r.lastLiveMs, renewed: r.renewed, failed: r.failed, requests: classify((await session.sandbox.requests()).slice(first), r.clickEpochMs) };
  } finally {
    await page.close();
  }
}

export function analyseRenewRun(run: RenewRun, o: { n: number; tenants: number; latencyMs: number; concurrency: number }): Omit<RenewAllAnalysis, 'runs' | 'medianWallMs'> {
  const inRun = run.requests.filter((r) => r.startMs >= -5);
  const count = (kind: Request['kind']) => inRun.filter((r) => r.kind === kind).length;
  const preflights = count('token preflight');
  const own = inRun.filter((r) => r.kind !== "Infisical's check");
  const signInKinds: Request['kind'][] = ['authorize', 'token preflight', 'token'];
  const signInRequests = own.filter((r) => signInKinds.includes(r.kind)).length;
  // Per renewal: create, the connection read again beside it (what a lost PATCH answer is judged
  // against, utils/flow/renew-connection.ts), PATCH, revoke.
  const minimumRequests = o.tenants * 2 + preflights + o.n * 4;
  // Sign-ins in the order they happened, each tenant's chain from its authorize to its token answer.
  const tenants = [...new Set(inRun.filter((r) => r.kind === 'authorize').map((r) => r.tenant!))];
  let previousEnd = 0;
  const signIns = tenants.map((tenant): SignIn => {
    const mine = inRun.filter((r) => r.tenant === tenant && signInKinds.includes(r.kind));
    const authorize = Math.min(...mine.filter((r) => r.kind === 'authorize').map((r) => r.startMs));
    const tokenEnd = Math.max(...mine.filter((r) => r.kind === 'token').map((r) => r.endMs));
    const s = { tenant, roundTrips: mine.length, ms: tokenEnd - previousEnd, requestsMs: tokenEnd - authorize };
    previousEnd = tokenEnd;
    return s;
  });
  const signInPhaseMs = previousEnd;
  const renewalChain = 4;
  const renewalRounds = Math.ceil(o.n / o.concurrency);
  const renewalsMs = renewalRounds * renewalChain * o.latencyMs;
  const modelMs = signInPhaseMs + renewalsMs;
  // Renewals in flight: +1 at each PAT create's start, −1 at each revoke's answer.
  const events = [
    ...inRun.filter((r) => r.kind === 'PAT create').map((r) => [r.startMs, 1] as const),
    ...inRun.filter((r) => r.kind === 'revoke').map((r) => [r.endMs, -1] as const),
  ].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let observedConcurrency = 0;
  for (const [, d] of events) {
    inFlight += d;
    observedConcurrency = Math.max(observedConcurrency, inFlight);
  }
  return {
    connections: o.n,
    tenants: o.tenants,
    latencyMs: o.latencyMs,
    concurrency: o.concurrency,
    wallMs: run.wallMs,
    lastLiveMs: run.lastLiveMs,
    renewed: run.renewed,
    failed: run.failed,
    extensionRequests: own.length,
    minimumRequests,
    infisicalChecks: count("Infisical's check"),
    perRenewal: {
      create: count('PAT create') / o.n,
      read: count('read') / o.n,
      patch: count('PATCH') / o.n,
      revoke: count('revoke') / o.n,
      infisicalCheck: count("Infisical's check") / o.n,
    },
    signInRequests,
    extra: own.filter((r) => r.kind === 'other').map((r) => r.label),
    preflights,
    signIns,
    signInPhaseMs,
    renewalChain,
    renewalRounds,
    modelMs,
    ratio: run.wallMs / modelMs,
    roundTripModelMs: signIns.reduce((a, s) => a + s.roundTrips, 0) * o.latencyMs + renewalsMs,
    renewalPhaseMs: run.wallMs - signInPhaseMs,
    observedConcurrency,
  };
}

/**
 * Seeds the connections (over 8 orgs, 2 per tenant), plants their records, sets the window to 30
 * days, then `runs` Renew alls at `latencyMs` (each after a restart of the background). `reuse`:
 * the same session's connections again (they stay due). Its own browser session: the other
 * measurements' connections would be listed (and some renewed) too.
 */
export async function measureRenewAll(
  session: BenchSession,
  options: { runs: number; latencyMs: number; connections?: number; reuse?: boolean },
): Promise<{ analysis: RenewAllAnalysis; runs: RenewRun[] }> {
  const n = options.connections ?? 20;
  const concurrency = renewConcurrency();
  if (!options.reuse) {
    const seeded = await session.sandbox.admin.seedConnections({ connections: n, orgs: 2 * RENEW_TENANTS.length, orgPrefix: 'renew', tenants: RENEW_TENANTS, validForDays: 30 });
    await plantAndRestart(
      session,
      seeded.connections.map((c) => c.record),
    );
    await setWindow(session, 30);
  }
  const runs: RenewRun[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(await oneRun(session, n, options.latencyMs));
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const medianRun = byWall[Math.floor((byWall.length - 1) / 2)]!;
  return {
    analysis: {
      ...analyseRenewRun(medianRun, { n, tenants: RENEW_TENANTS.length, latencyMs: options.latencyMs, concurrency }),
      runs: runs.length,
      medianWallMs: median(runs.map((r) => r.wallMs)),
    },
    runs,
  };
}
