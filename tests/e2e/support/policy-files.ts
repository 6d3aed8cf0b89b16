import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GECKO_ID } from '../../../wxt.config';
import { EXTENSION_APP } from '../../sandbox/fixtures';
import type { BrowserName } from './browsers';

/**
 * Enterprise policy where the real browsers read it (docs/deploying.md "The managed settings"):
 * Debian's Chromium reads every file of /etc/chromium/policies/managed/, Firefox ESR reads
 * /etc/firefox/policies/policies.json at start-up. Both are the machine's, so:
 * - Chromium's goes in a file of its own name, and Firefox's only where no policies.json is: one the
 *   tests did not write is never replaced. A marker file beside each (where neither browser reads)
 *   holds the test run that wrote it (`ICADO_TEST_RUN`, vitest.config.ts);
 * - the policy suite removes its files before and after itself; every browser launch of any other
 *   suite first removes what a run that has ended left (a killed run leaves nothing behind for the
 *   next), and waits while another run that is still going has its policy in place (two runs on one
 *   machine share these folders);
 * - a policy for the extension's ids that is the machine's own is refused with the reason: every
 *   suite would run under it.
 * Writing there needs root: CI runs as root; elsewhere `sudo -n` is used.
 */
export const POLICY_FILES = {
  chromium: '/etc/chromium/policies/managed/infisical-connect-e2e.json',
  firefox: '/etc/firefox/policies/policies.json',
} as const satisfies Record<BrowserName, string>;

/** Outside the folder Chromium reads (every file there is read as policy); beside Firefox's file. */
const MARKERS = { chromium: '/etc/chromium/policies/.infisical-connect-e2e', firefox: '/etc/firefox/policies/.infisical-connect-e2e' } as const satisfies Record<BrowserName, string>;
const BROWSER_NAMES = Object.keys(POLICY_FILES) as BrowserName[];

/** The ids the production builds have in each browser (the Chromium one from the manifest key, by its redirect URI). */
export const EXTENSION_IDS: Record<BrowserName, string> = { chromium: new URL(EXTENSION_APP.chromiumRedirect).hostname.split('.')[0]!, firefox: GECKO_ID };

/** This test run: vitest's main process (vitest.config.ts sets it), so every file of one run is the same run. */
const RUN = process.env.ICADO_TEST_RUN ?? String(process.pid);
const WAIT_FOR_OTHER_RUN_MS = 180_000;

const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
function asRoot(script: string, input?: string): void {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'sh' : 'sudo', root ? ['-c', script] : ['-n', 'sh', '-c', script], { input, stdio: ['pipe', 'ignore', 'pipe'] });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Who holds `browser`'s policy file: nobody, this run, another run still going, one that has ended, or the machine. */
function holder(browser: BrowserName): 'none' | 'this-run' | 'other-run' | 'ended-run' | 'machine' {
  const marker = MARKERS[browser];
  if (!existsSync(marker)) return existsSync(POLICY_FILES[browser]) ? 'machine' : 'none';
  const run = readFileSync(marker, 'utf8').trim();
  if (run === RUN) return 'this-run';
  return /^\d+$/.test(run) && alive(Number(run)) ? 'other-run' : 'ended-run';
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Make the policy folders this run's to use: what an ended run left is removed, another run's is
 * waited for, and a policy of the machine's own for the extension's ids is refused.
 */
function claim(ids: Record<BrowserName, string> = EXTENSION_IDS): void {
  const started = Date.now();
  for (const browser of BROWSER_NAMES) {
    while (holder(browser) === 'other-run') {
      if (Date.now() - started > WAIT_FOR_OTHER_RUN_MS)
        throw new Error(`Another test run has had its policy in ${POLICY_FILES[browser]} for 3 minutes; stop it, or remove the file and ${MARKERS[browser]}.`);
      sleepSync(500);
    }
    if (holder(browser) === 'ended-run') remove(browser);
  }
  if (holder('firefox') === 'machine') {
    if (readFileSync(POLICY_FILES.firefox, 'utf8').includes(ids.firefox))
      throw new Error(`${POLICY_FILES.firefox} is this machine's policy and names ${ids.firefox}: every suite would run under it. Move it away to run the tests.`);
  }
  const dir = path.dirname(POLICY_FILES.chromium);
  const foreign = existsSync(dir) ? readdirSync(dir).filter((f) => path.join(dir, f) !== POLICY_FILES.chromium && readFileSync(path.join(dir, f), 'utf8').includes(ids.chromium)) : [];
  if (foreign.length) throw new Error(`${dir} holds this machine's policy for ${ids.chromium} (${foreign.join(', ')}): every suite would run under it. Move it away to run the tests.`);
}

function remove(browser: BrowserName): void {
  const file = POLICY_FILES[browser];
  asRoot(`rm -f ${q(file)} ${q(MARKERS[browser])} ${q(tmpFile(file))}`);
}

/** Written whole beside the folder, then moved into place: Chromium watches the folder and must never read half a file. */
const tmpFile = (file: string) => path.join(path.dirname(path.dirname(file)), `.${path.basename(file)}.tmp`);

/** The policy the extension `id` gets, as each browser's file spells it (Chrome `extensions`, Firefox `Extensions`). */
function policyFile(browser: BrowserName, id: string, values: Record<string, unknown>): unknown {
  return browser === 'chromium' ? { '3rdparty': { extensions: { [id]: values } } } : { policies: { '3rdparty': { Extensions: { [id]: values } } } };
}

/** Write the extension's managed values for `browser` (Chromium picks a change up within seconds while running; Firefox at its next start). */
export function writeTestPolicy(browser: BrowserName, values: Record<string, unknown>, ids: Record<BrowserName, string> = EXTENSION_IDS): void {
  claim(ids);
  const file = POLICY_FILES[browser];
  if (holder(browser) === 'machine') throw new Error(`${file} exists and was not written by the tests: it is this machine's policy, so the policy suite will not replace it.`);
  const tmp = tmpFile(file);
  asRoot(
    `mkdir -p ${q(path.dirname(file))} && printf %s ${q(RUN)} > ${q(MARKERS[browser])} && cat > ${q(tmp)} && mv ${q(tmp)} ${q(file)}`,
    JSON.stringify(policyFile(browser, ids[browser], values), null, 2),
  );
}

/** Remove the policy files this run wrote (and nothing else). */
export function removeTestPolicies(): void {
  for (const browser of BROWSER_NAMES) if (holder(browser) === 'this-run') remove(browser);
}

/** Before a browser starts outside the policy suite: no test policy in place (tests/e2e/support/chromium.ts, firefox.ts). */
export function withoutTestPolicies(ids: Record<BrowserName, string> = EXTENSION_IDS): void {
  removeTestPolicies();
  claim(ids);
}
