import type { SandboxConfig } from '../../sandbox/config';
import type { SandboxState } from '../../sandbox/state';

/**
 * Every credential the sandbox has handed out, to look for in the extension's storage: PATs, Entra
 * access and refresh tokens. Infisical's tokens are JWTs, caught by shape.
 */
export function secretsIssued(state: SandboxState): string[] {
  return [...state.pats.map((p) => p.token), ...state.accessTokens.map((t) => t.token), ...state.refreshTokens.map((t) => t.token)];
}

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./;

/**
 * The leaked secrets found in a storage dump (empty when clean). The machine identity's client
 * secret, and every secret a login carried, may sit in `session` (trusted contexts only) but never
 * in `local` or `sync`, which content scripts can read: remembered, it lives in the extension's
 * IndexedDB (utils/storage/secret.ts).
 */
export function leaks(dump: { local?: unknown; sync?: unknown }, state: SandboxState, config: SandboxConfig): string[] {
  const text = JSON.stringify(dump);
  const found = secretsIssued(state).filter((s) => text.includes(s));
  if (JWT.test(text)) found.push(`JWT-shaped value: ${JWT.exec(text)?.[0].slice(0, 16)}…`);
  const readable = JSON.stringify([dump.local, dump.sync]);
  const identitySecrets = [config.infisical.identity.clientSecret, ...state.uaLogins.map((l) => l.clientSecret)];
  for (const secret of new Set(identitySecrets)) if (secret && readable.includes(secret)) found.push(`identity secret in storage.local/sync: ${secret.slice(0, 4)}…`);
  return found;
}
