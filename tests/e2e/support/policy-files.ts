import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserName } from './browsers';

/**
 * Enterprise policy where the real browsers read it (docs/deploying.md "The managed settings"):
 * Debian's Chromium reads every file of /etc/chromium/policies/managed/, Firefox ESR reads
 * /etc/firefox/policies/policies.json at start-up. Both are the machine's, so:
 * - Chromium's goes in a file of its own name, and Firefox's only where no policies.json is (one the
 *   tests did not write is never overwritten: a marker file beside it says which is theirs);
 * - every write is undone by `removeTestPolicies`, which the policy suite calls before and after
 *   itself, and the browser launchers call before every other suite (a killed run leaves nothing
 *   behind for the next: tests/e2e/support/chromium.ts, firefox.ts).
 * Writing there needs root: CI runs as root; elsewhere `sudo -n` is used.
 */
export const POLICY_FILES = {
  chromium: '/etc/chromium/policies/managed/infisical-connect-e2e.json',
  firefox: '/etc/firefox/policies/policies.json',
} as const satisfies Record<BrowserName, string>;

/**
 * What says a policy file is the tests': Chromium's file has a name of its own (a marker beside it
 * would be read as a policy file too); Firefox reads only policies.json, so a file beside it says so.
 */
const MARKERS = { chromium: POLICY_FILES.chromium, firefox: '/etc/firefox/policies/.infisical-connect-e2e' } as const satisfies Record<BrowserName, string>;

function asRoot(script: string, input?: string): void {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'sh' : 'sudo', root ? ['-c', script] : ['-n', 'sh', '-c', script], { input, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** The policy the extension `id` gets, as each browser's file spells it (Chrome `extensions`, Firefox `Extensions`). */
function policyFile(browser: BrowserName, id: string, values: Record<string, unknown>): unknown {
  return browser === 'chromium' ? { '3rdparty': { extensions: { [id]: values } } } : { policies: { '3rdparty': { Extensions: { [id]: values } } } };
}

/** Write the extension's managed values for `browser` (Chromium picks a change up within seconds while running; Firefox at its next start). */
export function writeTestPolicy(browser: BrowserName, id: string, values: Record<string, unknown>): void {
  const file = POLICY_FILES[browser];
  if (existsSync(file) && !existsSync(MARKERS[browser])) {
    throw new Error(`${file} exists and was not written by the tests: it is this machine's policy, so the policy suite will not replace it.`);
  }
  const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  // Written whole, then moved into place: Chromium watches the folder and must never read half a file.
  const tmp = path.join(path.dirname(path.dirname(file)), `.${path.basename(file)}.tmp`);
  asRoot(`mkdir -p ${q(path.dirname(file))} && touch ${q(MARKERS[browser])} && cat > ${q(tmp)} && mv ${q(tmp)} ${q(file)}`, JSON.stringify(policyFile(browser, id, values), null, 2));
}

/** Remove every policy file the tests wrote (and nothing else). */
export function removeTestPolicies(): void {
  for (const browser of Object.keys(POLICY_FILES) as BrowserName[]) {
    if (existsSync(MARKERS[browser])) asRoot(`rm -f '${POLICY_FILES[browser]}' '${MARKERS[browser]}'`);
  }
}
