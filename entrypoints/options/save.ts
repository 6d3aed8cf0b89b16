import { browser } from 'wxt/browser';
import { originPattern } from '@/utils/inputs';
import { forgetIdentitySecret, readIdentitySecret, writeIdentitySecret, type StoredSecret } from '@/utils/storage/secret';
import { settingsItem } from '@/utils/storage/settings-item';
import type { Settings } from '@/utils/storage/settings';

/**
 * Save the options once the new origin's permission is granted. On an Infisical origin change the
 * old secret is forgotten before the new settings are written, and the new secret written after:
 * the background then never sees the new origin with the old secret (it also sends a secret only
 * to the origin stored with it, entrypoints/background/services.ts). The old origin's permission
 * is removed last, once the new one is granted and saved, so a failed save leaves a working setup;
 * so is the notifications permission when expiry notifications were turned off.
 * @returns the secret as now stored.
 */
export async function saveOptions(options: {
  /** The settings in force before and after (the organization's policy over the person's). */
  previous: Settings;
  next: Settings & { infisicalUrl: string };
  /** What is written: the person's own values, which `next` shows except where the policy sets one. */
  own: Settings;
  /** What the person typed in the secret field, trimmed; empty keeps the stored one. */
  typedSecret: string;
  stored: StoredSecret | null;
}): Promise<StoredSecret | null> {
  const { previous, next, own, typedSecret, stored } = options;
  const oldOrigin = previous.infisicalUrl;
  const moved = oldOrigin !== null && oldOrigin !== next.infisicalUrl;
  if (moved) await forgetIdentitySecret();
  await settingsItem.setValue(own);
  // Only a secret stored for this origin is kept (App.tsx asks for it again otherwise).
  const secret: StoredSecret | null = typedSecret
    ? { secret: typedSecret, origin: next.infisicalUrl }
    : stored && !moved && (stored.origin === oldOrigin || stored.origin === null)
      ? { ...stored, origin: next.infisicalUrl }
      : null;
  if (secret) await writeIdentitySecret(secret, next.rememberSecret);
  // A secret kept for another address (the policy moved the instance since) is of no use any more.
  else if ((await readIdentitySecret())?.origin !== next.infisicalUrl) await forgetIdentitySecret();
  // Not when only the port changed: a host's pattern covers every port (and Firefox's patterns have
  // none), so removing the old one would take the new origin's access with it.
  if (moved && !samePattern(oldOrigin, next.infisicalUrl)) {
    await browser.permissions.remove({ origins: [originPattern(oldOrigin)] }).catch(() => false);
  }
  // Expiry notifications turned off: the permission asked for them (ExpiryWarning.tsx) is given back.
  if (previous.expiryNotifications && !next.expiryNotifications) await browser.permissions.remove({ permissions: ['notifications'] }).catch(() => false);
  return secret;
}

/** Whether two origins have the same permission pattern (scheme and host; ports do not count). */
function samePattern(a: string, b: string): boolean {
  const [x, y] = [new URL(a), new URL(b)];
  return x.protocol === y.protocol && x.hostname === y.hostname;
}
