import type { SignIn } from './sign-in';
import type { EntraToken } from './types';

/** Use a cached token only while it has this much life left. */
const MARGIN_MS = 5 * 60_000;

/**
 * Entra tokens in the worker's memory (never in storage), per client ID and tenant, so the org
 * picker's sign-in serves the connect that follows it. Lost when the worker stops, which costs
 * one more (usually silent) sign-in.
 */
export function createEntraTokenCache(signIn: SignIn, now: () => number) {
  const tokens = new Map<string, EntraToken>();
  /** Sign-ins under way, so two flows for one tenant share one sign-in. */
  const signingIn = new Map<string, Promise<EntraToken>>();
  const live = (token: EntraToken | undefined): token is EntraToken =>
    Boolean(token?.expiresOn && new Date(token.expiresOn).getTime() - MARGIN_MS > now());
  const keyOf = (request: { clientId: string; tenant: string }) => `${request.clientId} ${request.tenant.toLowerCase()}`;

  /** `fresh` skips the cache: Azure DevOps refused the cached token (revoked, policy change). */
  async function entraToken(request: { clientId: string; tenant: string; fresh?: boolean; interactive?: boolean }): Promise<EntraToken> {
    const key = keyOf(request);
    const cached = tokens.get(key);
    if (!request.fresh && live(cached)) return { ...cached, fromCache: true };
    // A sign-in under way gives a new token: it serves a `fresh` request too.
    const under = signingIn.get(key);
    if (under) return under;
    tokens.delete(key);
    const started = signIn({ clientId: request.clientId, tenant: request.tenant, ...(request.interactive === false ? { interactive: false } : {}) })
      .then((token) => {
        tokens.set(key, token);
        return token;
      })
      .finally(() => {
        if (signingIn.get(key) === started) signingIn.delete(key);
      });
    signingIn.set(key, started);
    return started;
  }

  /** Whether a usable token is held, so a sign-in would not be needed. */
  const has = (request: { clientId: string; tenant: string }) => live(tokens.get(keyOf(request)));

  return Object.assign(entraToken, { has });
}
