import { createStore, del, get, set, update } from 'idb-keyval';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import { CATALOGUE, storageKey } from './catalogue';
import { parseSettings, type Settings } from './settings';
import { settingsItem } from './settings-item';

/**
 * The machine identity's secret (utils/storage/catalogue.ts says where it may live): in `session:`
 * unless the person ticked "remember on this device", then in the IndexedDB of the extension's origin.
 */

/** Where the secret was remembered before it moved to IndexedDB: read once to move it, then removed. */
const legacyRememberedSecretItem = storage.defineItem<string>(storageKey(CATALOGUE.legacyRememberedSecret), {
  version: CATALOGUE.legacyRememberedSecret.version,
});
/** The secret when not remembered: a `StoredSecret` (a plain string in earlier builds). */
export const sessionSecretItem = storage.defineItem<unknown>(storageKey(CATALOGUE.sessionSecret), {
  version: CATALOGUE.sessionSecret.version,
});

/**
 * The identity's client secret (or pasted access token), with the origin it was entered for (it is
 * sent to no other: a changed Infisical address asks for it again) and, once Infisical refused it
 * (401 on login), the client ID it was refused with. Universal Auth locks the identity for every
 * user after 3 failed logins, so a refused secret is not sent again until it changes; keeping the
 * mark with the secret makes that hold after a worker restart (utils/infisical/session.ts).
 */
export const storedSecretSchema = z.object({
  secret: z.string().check(z.minLength(1)),
  origin: z.nullable(z.string()),
  refusedFor: z.optional(z.string()),
});
export type StoredSecret = z.infer<typeof storedSecretSchema>;

/** The remembered secret: IndexedDB of the extension's origin, opened on first use. */
const secretStore = createStore('infisical-connect', 'secrets');
const REMEMBERED_KEY = 'identityClientSecret';

/**
 * Whether the stored secret may be sent for these settings: entered for their instance, and not
 * refused by Infisical with their client ID (utils/infisical/session.ts).
 */
export function secretUsable(stored: StoredSecret | null, settings: Settings): stored is StoredSecret {
  if (!stored || stored.origin !== settings.infisicalUrl) return false;
  return settings.identityAuth === 'access-token' || stored.refusedFor !== settings.identityClientId;
}

/** A secret stored before the origin was kept with it belongs to the instance saved then. */
async function parseSecret(value: unknown): Promise<StoredSecret | null> {
  if (typeof value === 'string' && value) return { secret: value, origin: parseSettings(await settingsItem.getValue()).infisicalUrl };
  const parsed = storedSecretSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Move a secret remembered in `local:` by earlier builds into IndexedDB, then remove it there:
 * written first, removed after, so an interrupted move loses nothing. Run at background start and
 * before every read of the remembered secret.
 */
export async function migrateRememberedSecret(): Promise<void> {
  const legacy = await legacyRememberedSecretItem.getValue();
  if (!legacy) return;
  const moved = await parseSecret(legacy);
  // In one transaction: a secret saved meanwhile by the options page is not overwritten.
  await update(REMEMBERED_KEY, (current) => current ?? moved, secretStore);
  await legacyRememberedSecretItem.removeValue();
}

/** The stored secret, wherever the user chose to keep it. */
export async function readIdentitySecret(): Promise<StoredSecret | null> {
  const session = await parseSecret(await sessionSecretItem.getValue());
  if (session) return session;
  await migrateRememberedSecret();
  return parseSecret(await get(REMEMBERED_KEY, secretStore));
}

/**
 * Store the secret in exactly one place, removing it from the other. A new secret comes without a
 * refusal mark; a stored one moved (the "remember" box changed) keeps its mark.
 */
export async function writeIdentitySecret(value: StoredSecret, remember: boolean): Promise<void> {
  if (remember) {
    await set(REMEMBERED_KEY, value, secretStore);
    await sessionSecretItem.removeValue();
  } else {
    await sessionSecretItem.setValue(value);
    await del(REMEMBERED_KEY, secretStore);
  }
  // A copy an interrupted move left in `local:` would come back at the next start.
  await legacyRememberedSecretItem.removeValue();
}

/** Forget the secret everywhere (its instance changed). */
export async function forgetIdentitySecret(): Promise<void> {
  await sessionSecretItem.removeValue();
  await del(REMEMBERED_KEY, secretStore);
  await legacyRememberedSecretItem.removeValue();
}

/** Infisical refused `secret` with `clientId`: mark it, if it is still the one stored. */
export async function markSecretRefused(secret: string, clientId: string): Promise<void> {
  const session = await parseSecret(await sessionSecretItem.getValue());
  if (session?.secret === secret) return sessionSecretItem.setValue({ ...session, refusedFor: clientId });
  const remembered = await parseSecret(await get(REMEMBERED_KEY, secretStore));
  if (remembered?.secret === secret) await set(REMEMBERED_KEY, { ...remembered, refusedFor: clientId }, secretStore);
}
