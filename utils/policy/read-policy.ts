import { browser } from 'wxt/browser';
import { NO_POLICY, parsePolicy, type Policy } from './policy';

/**
 * The organization's policy as the browser hands it over now. Chromium answers `{}` when no
 * policy is set, and also for the first moments after the browser starts, before it has loaded the
 * extension's policy (then `storage.onChanged` reports the values, area `managed`: `followPolicy`).
 * Firefox rejects ("Managed storage manifest not found") when no policy names the add-on: no policy.
 */
export async function readPolicy(): Promise<Policy> {
  try {
    return parsePolicy(await browser.storage.managed.get());
  } catch {
    return NO_POLICY;
  }
}

/** Call `onChange` whenever the policy changes while the browser runs (Chromium re-reads policy files within seconds). */
export function onPolicyChanged(onChange: () => void): () => void {
  const listener = (_changes: unknown, area: string) => {
    if (area === 'managed') onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
