import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import type { FlowState } from './flow/flow-state';
import { DEFAULT_SETTINGS, FLOWS_KEY, SETTINGS_KEY, type Settings } from './storage-view';


/**
 * The storage catalogue: every key the extension writes, versioned from the first release.
 * Secrets: Entra tokens, PATs and Infisical access tokens are never stored anywhere; the machine
 * identity's client secret lives in `session:` (memory, trusted contexts only) unless the user
 * ticked "remember on this device". Content scripts never get session storage (Chromium's default
 * access level is trusted contexts only). One more key lives beside the code that uses it:
 * `session:oauthWait`, the OAuth consent tab's wait (entrypoints/background/oauth-wait.ts).
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
export const rememberedSecretItem = storage.defineItem<string>('local:identityClientSecret', {
  version: 1,
});
export const sessionSecretItem = storage.defineItem<string>('session:identityClientSecret', {
  version: 1,
});
export const connectionsItem = storage.defineItem<ConnectionRecord[]>('local:connections', {
  fallback: [],
  version: 1,
});
/**
 * A flow's PAT, being asked for or minted, and not yet delivered (no secret: the authorization id
 * names it, or, while it is being asked for, its name and expiry). If the worker stops before
 * delivery, the next start finds it here and finishes or revokes (issue 6). Kept in
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

/** The identity's client secret (or pasted access token), wherever the user chose to keep it. */
export async function readIdentitySecret(): Promise<string | null> {
  return (await sessionSecretItem.getValue()) ?? (await rememberedSecretItem.getValue());
}

/** Store the secret in exactly one place, removing it from the other. */
export async function writeIdentitySecret(secret: string, remember: boolean): Promise<void> {
  if (remember) {
    await rememberedSecretItem.setValue(secret);
    await sessionSecretItem.removeValue();
  } else {
    await sessionSecretItem.setValue(secret);
    await rememberedSecretItem.removeValue();
  }
}
