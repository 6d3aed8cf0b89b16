import { ExtensionError, InfisicalError } from '../errors/boundary-error';
import type { InfisicalAuth } from './auth';
import type { TokenResponse } from './schemas';

/**
 * Universal Auth client ID + secret, or an identity access token the user pasted (A.1, A.2).
 * `refused`: Infisical refused this secret with this client ID before (kept with the secret,
 * utils/storage/secret.ts), so it is not sent again.
 */
export type UniversalAuthCredentials = { clientId: string; clientSecret: string; refused?: boolean };
export type IdentityCredentials = UniversalAuthCredentials | { accessToken: string };

/** A login refused for the secret itself; a lock is not (the secret may be right: wait, then retry). */
function refusesSecret(error: unknown): boolean {
  return error instanceof InfisicalError && error.status === 401 && !/temporarily locked/i.test(error.message);
}

/**
 * A Universal Auth login that never sends a secret Infisical refused: Universal Auth locks the
 * identity, for every user of it, after 3 failed logins in 30 s (docs/contracts.md A.1), and the lock
 * outlasts the fix. Every login goes through here: flows, lookups and the setup check
 * (utils/setup/setup-infisical.ts). A refusal is passed to `onRefused` to be kept with
 * the secret, so a restarted worker does not try it again either.
 * @throws ExtensionError `secret-refused` without a request; InfisicalError from the login.
 */
export async function loginUnlessRefused(
  auth: Pick<InfisicalAuth, 'login'>,
  creds: UniversalAuthCredentials,
  onRefused: (creds: UniversalAuthCredentials) => Promise<void>,
): Promise<TokenResponse> {
  if (creds.refused) throw new ExtensionError('secret-refused', 'Infisical refused this client secret before; it is not sent again.');
  try {
    return await auth.login(creds.clientId, creds.clientSecret);
  } catch (error) {
    if (refusesSecret(error)) await onRefused(creds).catch(() => undefined);
    throw error;
  }
}

/** Renew this long before the token's end, so a request never starts with a dying token. */
const EARLY_MS = 60_000;

/**
 * A machine identity's access token, kept in memory only: logged in on first use, renewed while
 * the max TTL allows, re-logged-in after that (docs/contracts.md A.1). Concurrent callers share one
 * login.
 */
export function createInfisicalSession(options: {
  auth: Pick<InfisicalAuth, 'login' | 'renew'>;
  credentials: () => Promise<IdentityCredentials | null>;
  /** Keep the refusal with the stored secret (utils/storage/secret.ts `markSecretRefused`). */
  onRefused?: (creds: UniversalAuthCredentials) => Promise<void>;
  now: () => number;
}) {
  const { auth, credentials, now } = options;
  let cached: { token: string; expiresAt: number; maxExpiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  /**
   * A secret Infisical refused, also kept in memory: the popup asks several times while the user
   * types, and a refusal whose mark could not be stored must not be sent again either.
   */
  let refused: string | null = null;

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
    const issuedAt = now();
    // Kept in memory only when the mark could not be stored with the secret: a stored mark goes when
    // the secret is saved again, and so must this one.
    const onRefused = async (c: UniversalAuthCredentials) => {
      if (!options.onRefused) refused = c.clientSecret;
      else
        await options.onRefused(c).catch(() => {
          refused = c.clientSecret;
        });
    };
    return remember(await loginUnlessRefused(auth, { ...creds, refused: creds.refused || refused === creds.clientSecret }, onRefused), issuedAt);
  }

  async function refresh(): Promise<string> {
    const current = cached;
    if (current && now() + EARLY_MS < current.maxExpiresAt) {
      try {
        const issuedAt = now();
        return remember(await auth.renew(current.token), issuedAt);
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
   * Run `call` with a token; when Infisical refuses the token (401, or 403 `TokenError`: revoked or
   * expired server-side) log in again once and repeat it. Safe for every call: the refusal comes
   * before the route runs (docs/contracts.md A.1, A.2). utils/infisical/app-connections.ts sends
   * every call through here.
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
