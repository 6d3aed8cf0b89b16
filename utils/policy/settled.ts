import { browser } from 'wxt/browser';

/**
 * How long after the browser starts Chromium may still be loading the extension's policy: its
 * managed storage reads `{}` until then, and the values arrive as a `managed` change (seen within
 * 3 s on Debian's Chromium; docs/deploying.md "When a change takes effect").
 */
export const POLICY_SETTLE_MS = 6_000;

/**
 * Settles once the organization's policy, if any, has most likely reached the extension: at once
 * when managed storage holds values or cannot be read (Firefox without a policy), else at the first
 * `managed` change or `ms` after `since` (this context's start), whichever comes first. For a
 * decision that must not be taken on the empty policy of the first seconds: the start-up recovery
 * revokes a pending PAT minted for another Infisical address (utils/worker/recover.ts).
 */
export function policySettled(since: number, ms = POLICY_SETTLE_MS, now = Date.now): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(listener);
      resolve();
    };
    const listener = (_changes: unknown, area: string) => {
      if (area === 'managed') done();
    };
    browser.storage.onChanged.addListener(listener);
    const timer = setTimeout(done, Math.max(0, since + ms - now()));
    browser.storage.managed.get().then((values) => {
      if (Object.keys(values).length > 0) done();
    }, done);
  });
}
