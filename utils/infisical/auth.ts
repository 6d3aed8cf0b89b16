import { z } from 'zod/mini';
import type { InfisicalCall } from './http';
import { statusResponseSchema, tokenResponseSchema, type TokenResponse } from './schemas';

/**
 * The endpoints that make, renew and end identity access tokens (docs/contracts.md A.1), and the
 * health check (A.6). None needs a token in its header: the credential travels in the body.
 */
export function createAuthEndpoints(call: InfisicalCall) {
  const post = (body: object) => ({ method: 'POST', body: JSON.stringify(body) }) satisfies RequestInit;
  return {
    /** `GET /api/status`: reachable and an Infisical server. */
    status: () => call('/api/status', { method: 'GET' }, statusResponseSchema),

    /** Universal Auth login. Callers go through `loginUnlessRefused` (session.ts), never here directly. */
    login: (clientId: string, clientSecret: string): Promise<TokenResponse> => call('/api/v1/auth/universal-auth/login', post({ clientId, clientSecret }), tokenResponseSchema),

    /** Renew an identity access token. */
    renew: (accessToken: string): Promise<TokenResponse> => call('/api/v1/auth/token/renew', post({ accessToken }), tokenResponseSchema),

    /** Revoke an access token: ends a token made for a one-off check. */
    revoke: (accessToken: string) => call('/api/v1/auth/token/revoke', post({ accessToken }), z.unknown()),
  };
}

export type InfisicalAuth = ReturnType<typeof createAuthEndpoints>;
