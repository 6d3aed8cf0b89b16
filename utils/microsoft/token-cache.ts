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
  const signingIn = new Map<string, { token: Promise<EntraToken>; interactive: boolean }>();
  const live = (token: EntraToken | undefined): token is EntraToken => Boolean(token?.expiresOn && new Date(token.expiresOn).getTime() - MARGIN_MS > now());
  const keyOf = (request: { clientId: string; tenant: string }) => `${request.clientId} ${request.tenant.toLowerCase()}`;

  /** `fresh` skips the cache: Azure DevOps refused the cached token (revoked, policy change). */
  async function entraToken(request: { clientId: string; tenant: string; fresh?: boolean; interactive?: boolean }): Promise<EntraToken> {
    const key = keyOf(request);
    const cached = tokens.get(key);
    if (!request.fresh && live(cached)) return { ...cached, fromCache: true };
    const interactive = request.interactive !== false;
    // A sign-in under way gives a new token: it serves a `fresh` request too. A silent one (the
    // recovery at start) cannot serve a person's request by failing: then that one signs in itself.
    const under = signingIn.get(key);
    if (under && (under.interactive || !interactive)) return under.token;
    if (under) return under.token.catch(() => start(request, key, interactive));
    return start(request, key, interactive);
  }

  function start(request: { clientId: string; tenant: string }, key: string, interactive: boolean): Promise<EntraToken> {
    tokens.delete(key);
    const token: Promise<EntraToken> = signIn({ clientId: request.clientId, tenant: request.tenant, ...(interactive ? {} : { interactive: false }) })
      .then((signedIn) => {
        tokens.set(key, signedIn);
        return signedIn;
      })
      .finally(() => {
        if (signingIn.get(key)?.token === token) signingIn.delete(key);
      });
    signingIn.set(key, { token, interactive });
    return token;
  }

  /** Whether a usable token is held, so a sign-in would not be needed. */
  const has = (request: { clientId: string; tenant: string }) => live(tokens.get(keyOf(request)));

  return Object.assign(entraToken, { has });
}
