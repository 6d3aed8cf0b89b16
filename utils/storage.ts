import { createStore, del, get, set, update } from 'idb-keyval';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import type { FlowState } from './flow/flow-state';
import { DEFAULT_SETTINGS, FLOWS_KEY, SETTINGS_KEY, type Settings } from './storage-view';


/**
 * The storage catalogue: every key the extension writes, versioned from the first release.
 * Secrets: Entra tokens, PATs and Infisical access tokens are never stored anywhere; the machine
 * identity's client secret lives in `session:` (memory, trusted contexts only) unless the user
 * ticked "remember on this device", and then in the IndexedDB of the extension's origin, never in
 * `local:` or `sync:`, which content scripts can read in both browsers. Content scripts never get
 * session storage (Chromium's default access level is trusted contexts only) and run in the page's
 * origin, so they cannot open the extension's IndexedDB.
 * One more key lives beside the code that uses it: `session:oauthWait`, the OAuth consent tab's
 * wait (entrypoints/background/oauth-wait.ts).
 */

/** A connection this extension made: enough to warn before expiry and rotate; no secrets. */
export const connectionRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  instanceUrl: z.string(),
  org: z.string(),
  tenantId: z.string(),
  method: z.enum(['access-token', 'oauth', 'client-secret']),
  patAuthorizationId: z.nullable(z.string()),
  patValidTo: z.nullable(z.string()),
  createdAt: z.string(),
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

export const settingsItem = storage.defineItem<Settings>(`local:${SETTINGS_KEY}`, {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});
/** Where the secret was remembered before it moved to IndexedDB: read once to move it, then removed. */
const legacyRememberedSecretItem = storage.defineItem<string>('local:identityClientSecret', {
  version: 1,
});
/** The secret when not remembered: a `StoredSecret` (a plain string in earlier builds). */
export const sessionSecretItem = storage.defineItem<unknown>('session:identityClientSecret', {
  version: 1,
});
export const connectionsItem = storage.defineItem<ConnectionRecord[]>('local:connections', {
  fallback: [],
  version: 1,
});
/**
 * A flow's PAT, being asked for or minted, and not yet delivered (no secret: the authorization id
 * names it, or, while it is being asked for, its name and expiry). If the worker stops before
 * delivery, the next start finds it here and finishes or revokes (docs/reliability.md). Kept in
 * `local:` so that a browser closed mid-flow is covered too. Written only through the worker's
 * ledger, as are the flows and the connection records.
 */
export const pendingPatSchema = z.object({
  /** Null while the PAT is being asked for: then it is the one named for the connection, with `validTo`. */
  authorizationId: z.nullable(z.string()),
  /** The expiry asked for, then the one Azure DevOps gave. */
  validTo: z.string(),
  org: z.string(),
  tenant: z.string(),
  clientId: z.string(),
  instanceUrl: z.string(),
  connectionName: z.string(),
  /** Version of the connection being updated, or null when creating one. */
  previousVersion: z.nullable(z.number()),
  /** On update: the PAT the connection held before, revoked once the new one is delivered. */
  replaces: z.optional(z.nullable(z.string())),
  /** When the PAT was asked for. */
  mintedAt: z.string(),
  /** The flow that minted it; a record whose flow is not running in this worker is left over. */
  flowId: z.string(),
});
export type PendingPat = z.infer<typeof pendingPatSchema>;
/** Every minted, undelivered PAT, each with the flow that minted it (flows can run side by side). */
export const pendingPatsItem = storage.defineItem<PendingPat[]>('local:pendingPats', { fallback: [], version: 1 });

export async function readPendingPats(): Promise<PendingPat[]> {
  const parsed = z.array(pendingPatSchema).safeParse(await pendingPatsItem.getValue());
  return parsed.success ? parsed.data : [];
}

/**
 * Progress of the running and last finished flows, one per organization, so a reopened popup
 * (or the org's page) shows where its flow is. Written only through the worker's ledger, which
 * keeps what it last wrote: nothing else may write or clear this key.
 */
export const flowsItem = storage.defineItem<FlowState[]>(`session:${FLOWS_KEY}`, { fallback: [], version: 1 });

export async function readConnections(): Promise<ConnectionRecord[]> {
  const parsed = z.array(connectionRecordSchema).safeParse(await connectionsItem.getValue());
  return parsed.success ? parsed.data : [];
}

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
  if (typeof value === 'string' && value) return { secret: value, origin: (await settingsItem.getValue()).infisicalUrl };
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
