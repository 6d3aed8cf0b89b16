import { ExtensionError, InfisicalError } from '../errors/boundary-error';
import type { InfisicalClient } from './client';
import type { TokenResponse } from './schemas';

/** Universal Auth client ID + secret, or an identity access token the user pasted (A.1, A.2). */
export type IdentityCredentials = { clientId: string; clientSecret: string } | { accessToken: string };

/** Renew this long before the token's end, so a request never starts with a dying token. */
const EARLY_MS = 60_000;

/**
 * A machine identity's access token, kept in memory only: logged in on first use, renewed while
 * the max TTL allows, re-logged-in after that (contracts.md A.1). Concurrent callers share one
 * login.
 */
export function createInfisicalSession(options: {
  client: InfisicalClient;
  credentials: () => Promise<IdentityCredentials | null>;
  now: () => number;
}) {
  const { client, credentials, now } = options;
  let cached: { token: string; expiresAt: number; maxExpiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  /**
   * A secret Infisical refused. Not tried again until it changes: Universal Auth locks the identity
   * after 3 failed logins in 30 s (contracts.md A.1), and the popup asks several times while the
   * user types.
   */
  let refused: { secret: string; error: unknown } | null = null;

  function remember(res: TokenResponse, issuedAt: number): string {
    const never = Number.POSITIVE_INFINITY;
    cached = {
      token: res.accessToken,
      // A TTL of 0 means the token does not expire (A.1).
      expiresAt: res.expiresIn > 0 ? issuedAt + res.expiresIn * 1000 : never,
      maxExpiresAt: res.accessTokenMaxTTL > 0 ? issuedAt + res.accessTokenMaxTTL * 1000 : never,
    };
    return res.accessToken;
  }

  async function login(): Promise<string> {
    const creds = await credentials();
    if (!creds) {
      throw new ExtensionError('identity-missing', 'No Infisical machine identity is configured.');
    }
    if ('accessToken' in creds) {
      // A pasted token: used as it is until Infisical refuses it; nothing to renew it with.
      cached = { token: creds.accessToken, expiresAt: Number.POSITIVE_INFINITY, maxExpiresAt: 0 };
      return creds.accessToken;
    }
    if (refused?.secret === creds.clientSecret) throw refused.error;
    const issuedAt = now();
    try {
      return remember(await client.login(creds.clientId, creds.clientSecret), issuedAt);
    } catch (error) {
      if (error instanceof InfisicalError && error.status === 401) refused = { secret: creds.clientSecret, error };
      throw error;
    }
  }

  async function refresh(): Promise<string> {
    const current = cached;
    if (current && now() + EARLY_MS < current.maxExpiresAt) {
      try {
        const issuedAt = now();
        return remember(await client.renew(current.token), issuedAt);
      } catch (error) {
        // Renewal refused (TTL or uses exhausted, revoked): a fresh login is the fix.
        if (!(error instanceof InfisicalError) || (error.status !== 401 && error.status !== 400)) throw error;
      }
    }
    cached = null;
    return login();
  }

  /** A usable access token. @throws InfisicalError from login, ExtensionError when unconfigured. */
  function token(): Promise<string> {
    if (cached && now() + EARLY_MS < cached.expiresAt) return Promise.resolve(cached.token);
    pending ??= refresh().finally(() => {
      pending = null;
    });
    return pending;
  }

  /**
   * Run `call` with a token; on 401 (token revoked or expired server-side) log in again once and
   * retry. Only for calls that are safe to repeat after a 401, which Infisical answers before doing
   * anything.
   */
  async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await token());
    } catch (error) {
      const expired = error instanceof InfisicalError && (error.status === 401 || error.code === 'TokenError');
      if (!expired) throw error;
      cached = null;
      return call(await token());
    }
  }

  return {
    token,
    withToken,
    /** Forget the cached token (settings changed). */
    reset() {
      cached = null;
    },
  };
}

export type InfisicalSession = ReturnType<typeof createInfisicalSession>;
