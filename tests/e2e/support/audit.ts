import type { SandboxState } from '../../sandbox/state';

/**
 * Every credential the sandbox has handed out, to look for in the extension's storage: PATs, Entra
 * access and refresh tokens. Infisical's tokens are JWTs, caught by shape.
 */
export function secretsIssued(state: SandboxState): string[] {
  return [
    ...state.pats.map((p) => p.token),
    ...state.accessTokens.map((t) => t.token),
    ...state.refreshTokens.map((t) => t.token),
  ];
}

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./;

/** The leaked secrets found in a storage dump (empty when clean). */
export function leaks(dump: unknown, state: SandboxState): string[] {
  const text = JSON.stringify(dump);
  const found = secretsIssued(state).filter((s) => text.includes(s));
  if (JWT.test(text)) found.push(`JWT-shaped value: ${JWT.exec(text)?.[0].slice(0, 16)}…`);
  return found;
}
