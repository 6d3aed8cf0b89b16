/**
 * The expiry watch's check without network (`watch.check(false)`, utils/worker/expiry-watch.ts):
 * the statuses of every record, the toolbar badge and its title. How much of the service worker's
 * CPU it takes, with 0, 30, 300 and 1000 records, and with 300 records and Infisical's list of
 * them already read (docs/performance.md "Connections"). Chromium only.
 *
 * Method. The check is triggered as the extension triggers it: a write to `local:settings` makes
 * the worker's `storage.onChanged` listener run `watch.check(false)` 100 ms later
 * (entrypoints/background/index.ts `watchExpiry`). The write toggles the connection-name template,
 * a setting the check never reads. Measured: the CPU time of the worker's own thread (Linux
 * `/proc/<pid>/task/<tid>/schedstat`, ns on the CPU; the thread named `ServiceWorker thread` in the
 * extension's renderer process) over a 250 ms window from the write: the event, the timer, the
 * check (statuses, settings read again after the change, three toolbar calls), and any garbage
 * collection on that thread. The trigger's own cost is measured the same way with the same write to
 * a key nobody reads (`benchProbe`, holding a copy of the settings): the event reaches every
 * `storage.onChanged` listener of the worker, which return at once. Check = median(trigger) −
 * median(control), over alternating rounds; an idle window (no write) is the baseline (0 here).
 * A CDP CPU profile was tried first: its sampling interrupts the thread (≈ 16 ms of CPU per 400 ms
 * at 100 µs), and under load it charges wall time, not CPU, so it is not used.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { EXTENSION_APP, INFISICAL, TENANT } from '../../tests/sandbox/fixtures';
import type { ConnectionRecord } from '../../utils/storage/records';
import { getLocal, plantRecords, setLocal } from './extension-storage';
import type { BenchSession } from './session';
import { median, sleep } from './stats';

const WINDOW_MS = 250;
/** Idle windows per run: the baseline, 0 on this machine (the thread sleeps between tasks). */
const IDLE_WINDOWS = 3;
const DAY_MS = 86_400_000;

export interface CheckCost {
  records: number;
  /** Whether Infisical's list was held by the worker (else the records alone). */
  listRead: boolean;
  rounds: number;
  /** Medians of the worker thread's CPU per window, ms. */
  idleMs: number;
  controlMs: number;
  triggerMs: number;
  /** triggerMs − controlMs: the check itself. */
  checkMs: number;
  /** The badge the check left: its text (the count) proves the records were read. */
  badge: string;
}

export interface ExpiryCheckResult {
  method: string;
  /** The budgeted figure: 300 records (the largest of list-read and records-only). */
  at300Ms: number;
  runs: CheckCost[];
}

/** `n` records as the ledger keeps them: 30 orgs in turn, PATs expiring after 5 to 365 days. */
export function syntheticRecords(n: number): ConnectionRecord[] {
  const days = [5, 12, 20, 45, 90, 180, 365];
  const at = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const org = `bench-${String((i % 30) + 1).padStart(2, '0')}`;
    const nth = Math.floor(i / 30);
    return {
      id: randomUUID(),
      name: nth === 0 ? `azure-devops-${org}` : `azure-devops-${org}-${nth + 1}`,
      instanceUrl: INFISICAL.siteUrl,
      projectId: null,
      org,
      tenantId: TENANT.id,
      clientId: EXTENSION_APP.clientId,
      method: 'access-token',
      patAuthorizationId: randomUUID(),
      patValidTo: new Date(at + days[i % days.length]! * DAY_MS).toISOString(),
      patLifetimeDays: days[i % days.length]!,
      createdAt: new Date(at).toISOString(),
    };
  });
}

const ppid = (pid: string) => {
  try {
    return Number(
      readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ')[1],
    );
  } catch {
    return -1;
  }
};
const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** The schedstat file of the extension service worker's thread (the newest one, if a stopping one lingers). */
function workerThread(browserPid: number): string | null {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const ours = new Set([browserPid]);
  // Renderers are children of the zygote, a child of the browser.
  for (let depth = 0; depth < 4; depth++) for (const p of procs) if (ours.has(ppid(p))) ours.add(Number(p));
  let found: { file: string; tid: number } | null = null;
  for (const pid of ours) {
    if (!read(`/proc/${pid}/cmdline`).includes('--extension-process')) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      if (!read(`/proc/${pid}/task/${tid}/comm`).startsWith('ServiceWorker')) continue;
      if (!found || Number(tid) > found.tid) found = { file: `/proc/${pid}/task/${tid}/schedstat`, tid: Number(tid) };
    }
  }
  return found?.file ?? null;
}

const cpuMs = (file: string) => Number(readFileSync(file, 'utf8').split(' ')[0]) / 1e6;

/** One measured window: the worker thread's CPU from just before `act` to WINDOW_MS after it. */
async function measureWindow(file: string, act: () => Promise<void>): Promise<number> {
  const before = cpuMs(file);
  await act();
  await sleep(WINDOW_MS);
  return cpuMs(file) - before;
}

/** The worker, started (again) by CDP, its start-up work (the start's own check, the recovery) left to finish. */
async function startWorker(session: BenchSession, page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.send('ServiceWorker.startWorker', { scopeURL: `${session.base}/` });
  } finally {
    await cdp.detach();
  }
  await session.ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(session.base), { timeout: 10_000 });
  await sleep(1500);
}

async function rounds(session: BenchSession, page: Page, records: number, listRead: boolean, count: number): Promise<CheckCost> {
  const file = workerThread(session.ext.browser.process()!.pid!);
  if (!file) throw new Error('the service worker thread was not found in /proc');
  const settings = (await getLocal(page, 'settings')) as Record<string, unknown>;
  const template = String(settings['connectionNameTemplate']);
  const variant = (i: number) => ({ ...settings, connectionNameTemplate: i % 2 === 0 ? `${template}-x` : template });
  await setLocal(page, { benchProbe: settings });
  const idle: number[] = [];
  const control: number[] = [];
  const trigger: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i < IDLE_WINDOWS) idle.push(await measureWindow(file, async () => undefined));
    control.push(await measureWindow(file, () => setLocal(page, { benchProbe: variant(i) })));
    trigger.push(await measureWindow(file, () => setLocal(page, { settings: variant(i) })));
  }
  // An even count of rounds writes the template back as it was.
  if (count % 2 === 1) await setLocal(page, { settings });
  if (!existsSync(file)) throw new Error('the service worker restarted during the measurement');
  const badge = await page.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }).chrome.action.getBadgeText({}));
  const c = median(control);
  const t = median(trigger);
  return { records, listRead, rounds: count, idleMs: median(idle), controlMs: c, triggerMs: t, checkMs: t - c, badge };
}

/**
 * Right after the views (connections-view.ts): first with the worker that has just listed the seeded
 * connections (an options page opened and read Infisical's list), then with a worker restarted
 * with N records and nothing listed, for each N.
 */
export async function measureExpiryCheck(session: BenchSession, options: { counts?: number[]; rounds?: number } = {}): Promise<ExpiryCheckResult> {
  const counts = options.counts ?? [0, 30, 300, 1000];
  const count = options.rounds ?? 6;
  const runs: CheckCost[] = [];
  const page = await session.ext.openPage(`${session.base}/blank.html`);
  try {
    const listed = (await getLocal(page, 'connections')) as unknown[];
    const view = await session.ext.openPage(`${session.base}/options.html`);
    await view.waitForSelector('[data-testid=connections][data-state=refreshed]', { timeout: 20_000 });
    await view.close();
    await sleep(500);
    runs.push(await rounds(session, page, listed.length, true, count));
    for (const n of counts) {
      await plantRecords(page, syntheticRecords(n));
      await startWorker(session, page);
      runs.push(await rounds(session, page, n, false, count));
    }
    await page.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { remove(k: string): Promise<void> } } } }).chrome.storage.local.remove('benchProbe'));
  } finally {
    await page.close();
  }
  const at300 = runs.filter((r) => r.records === 300).map((r) => r.checkMs);
  return {
    method: 'worker thread CPU (schedstat) over 250 ms from a settings write, minus the same write to an unread key; medians',
    at300Ms: at300.length ? Math.max(...at300) : Number.NaN,
    runs,
  };
}
