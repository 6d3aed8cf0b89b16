import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedPublicFile, Wxt } from 'wxt';
import { METHODS } from '../utils/flow/connect-request';
import { PAT_LIFETIMES } from '../utils/inputs';
import { MANAGED_KEY_NAMES, MANAGED_KEYS, type ManagedKey, type ManagedKeyName } from '../utils/policy/managed-keys';

/** Where the Chromium package keeps the schema its manifest's `storage.managed_schema` names. */
export const MANAGED_SCHEMA_FILE = 'managed-schema.json';

/** What each managed key does: shown on chrome://policy, and listed in docs/deploying.md. */
export const MANAGED_KEY_DESCRIPTIONS: Record<ManagedKeyName, string> = {
  infisicalUrl: 'Address of the Infisical instance (its origin), e.g. https://infisical.example.com.',
  identityAuth: 'How the machine identity signs in to Infisical: "universal-auth" (client ID and secret) or "access-token" (a pasted token).',
  identityClientId: 'Client ID of the machine identity’s Universal Auth (not a secret: each person enters the secret).',
  microsoftClientId: 'Application (client) ID of the Entra app registration used for Microsoft sign-in; "" uses the Infisical instance’s own app.',
  connectionNameTemplate: 'Name of the connection a one-click connect makes, with {org} for the organization, e.g. azure-devops-{org}.',
  patLifetimeDays: `Default lifetime of the personal access tokens the extension makes, in days: one of ${PAT_LIFETIMES.join(', ')}.`,
  maxPatLifetimeDays: `Longest lifetime a person may choose, in days (${PAT_LIFETIMES[0]} or more); longer choices are not offered.`,
  allowedMethods: `Connection methods people may use, any of: ${METHODS.join(', ')}. Unset: all.`,
  expiryWarningDays: 'Days before a token’s expiry its connection counts as expiring (badge, notification): 0 (never), 7, 14 or 30.',
  expiryNotifications: 'Whether a desktop notification tells when a connection starts expiring or has expired (each person allows notifications once).',
};

/** Chromium's `managed_schema` (a JSON Schema subset): the types only, every key optional; keys it does not list are dropped by Chromium. */
export function managedSchema() {
  const item = (key: ManagedKey) => (key.type === 'array' ? { type: 'array', items: { type: 'string' } } : { type: key.type });
  return {
    type: 'object',
    properties: Object.fromEntries(MANAGED_KEY_NAMES.map((name) => [name, { ...item(MANAGED_KEYS[name]), description: MANAGED_KEY_DESCRIPTIONS[name] }])),
  };
}

/**
 * Chromium's `managed_schema`, written from the one table of managed keys (utils/policy/managed-keys.ts)
 * into the Chromium build: Chromium hands the extension only policy keys the schema lists, and only
 * values of the type it gives. Firefox reads no schema (it passes `3rdparty` policy values as they
 * are, and the extension checks them itself), so its package has none.
 */
export async function addManagedSchema(wxt: Wxt, files: ResolvedPublicFile[]): Promise<void> {
  if (wxt.config.browser === 'firefox') return;
  const absoluteSrc = path.join(wxt.config.wxtDir, 'managed', MANAGED_SCHEMA_FILE);
  await mkdir(path.dirname(absoluteSrc), { recursive: true });
  await writeFile(absoluteSrc, `${JSON.stringify(managedSchema(), null, 2)}\n`);
  files.push({ relativeDest: MANAGED_SCHEMA_FILE, absoluteSrc });
}
