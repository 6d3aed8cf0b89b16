import { storage } from 'wxt/utils/storage';
import { z } from 'zod/mini';
import { DEFAULT_NAME_TEMPLATE, patLifetimeSchema } from './inputs';
import { flowStateSchema, type FlowState } from './flow/flow-state';

/**
 * The storage catalogue: every key the extension writes, versioned from the first release.
 * Secrets: Entra tokens, PATs and Infisical access tokens are never stored anywhere; the machine
 * identity's client secret lives in `session:` (memory, trusted contexts only) unless the user
 * ticked "remember on this device". Content scripts never get session storage (Chromium's default
 * access level is trusted contexts only).
 */

export const settingsSchema = z.object({
  /** Origin of the Infisical instance, e.g. https://app.infisical.com. */
  infisicalUrl: z.nullable(z.string()),
  /** Universal Auth (client ID + secret) or a pasted identity access token (contracts.md A.1, A.2). */
  identityAuth: z.enum(['universal-auth', 'access-token']),
  /** Machine identity Universal Auth client ID (not a secret). */
  identityClientId: z.string(),
  /** Keep the client secret in local storage instead of session storage. */
  rememberSecret: z.boolean(),
  /** Entra app (client) ID for the PKCE sign-in. */
  microsoftClientId: z.string(),
  /** Connection name for one-click connects from Azure DevOps pages; `{org}` is replaced. */
  connectionNameTemplate: z.string().check(z.maxLength(64)),
  /** Default lifetime of minted PATs, in days. */
  patLifetimeDays: patLifetimeSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  infisicalUrl: null,
  identityAuth: 'universal-auth',
  identityClientId: '',
  rememberSecret: false,
  microsoftClientId: '',
  connectionNameTemplate: DEFAULT_NAME_TEMPLATE,
  patLifetimeDays: 90,
};

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

export const settingsItem = storage.defineItem<Settings>('local:settings', {
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
/** Progress of the running (or last) flow, so a reopened popup shows where it is. */
export const flowItem = storage.defineItem<FlowState>('session:flow', { version: 1 });

/** Settings as stored, validated; anything malformed falls back to the defaults field by field. */
export async function readSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...(raw ?? {}) });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function readConnections(): Promise<ConnectionRecord[]> {
  const parsed = z.array(connectionRecordSchema).safeParse(await connectionsItem.getValue());
  return parsed.success ? parsed.data : [];
}

export async function readFlow(): Promise<FlowState | null> {
  const parsed = flowStateSchema.safeParse(await flowItem.getValue());
  return parsed.success ? parsed.data : null;
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
